"""Organisation settings (configuration with documented defaults, core.config)."""

from core.config import ConfigDefault, register

register(ConfigDefault("org.certificate_warn_days", 60,
                       "执法证件到期前多少天起提醒持证人及其所在机关（过期后不能参与执法）", "XF-042", "PRACTICE"))
