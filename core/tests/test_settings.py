import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = dict(os.environ, OPENENFORCE_PRODUCTION="1", OPENENFORCE_SECRET_KEY="x" * 20 + "Kq8#v!2pZr@5Lm$9Tn&4Wd^7Yh*3Bj",
               OPENENFORCE_ALLOWED_HOSTS="enforce.example.gov.cn", OPENENFORCE_VAR_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "openenforce.cli", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_requires_secret_key(tmp_path):
    env = dict(os.environ, OPENENFORCE_PRODUCTION="1", OPENENFORCE_VAR_DIR=str(tmp_path))
    env.pop("OPENENFORCE_SECRET_KEY", None)
    result = subprocess.run([sys.executable, "-m", "openenforce.cli", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "OPENENFORCE_SECRET_KEY" in result.stderr
