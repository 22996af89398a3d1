"""OpenEnforce: county integrated administrative law enforcement (大综合一体化行政执法)."""
