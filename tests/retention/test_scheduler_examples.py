"""The scheduler examples in retention/schedulers/ run as written.

Each test reads the command line out of the example file the way its scheduler would (cron's
`\\%`, systemd's `%%` and `$$`, the CronJob's command and args), points the environment at a
real SQLite ledger whose DPO key was made and registered as retention/README.md says, runs it
with /bin/sh and the installed `pmledger` script, and checks that the due records were disposed
under the DPO's key.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.core.helpers import ADMIN, HR, enrol, open_ledger
from tests.retention.test_purge import _case

from pmledger.commands import EmployeeRef
from pmledger.events.actors import Actor, Role
from pmledger.integrity.keystore import EncryptedFileKeyStore
from pmledger.ledger.facade import Ledger
from pmledger.ledger.retention_jobs import plan
from pmledger.projections.disposal import DisposalStatus
from pmledger.retention import load_default

ROOT = Path(__file__).resolve().parents[2]
SCHEDULERS = ROOT / "retention" / "schedulers"
RETENTION_README = ROOT / "retention" / "README.md"
ENV_FILE = "/etc/pmledger/retention.env"
BIN = Path(sys.executable).parent
"""The virtual environment's bin folder, where the `pmledger` console script is installed."""

ADMIN_PASSPHRASE = "administrator passphrase"
JOB_PASSPHRASE = "the job pass phrase $HOME"
"""With spaces and a $, so the environment file's quoting is exercised too."""
DPO = Actor(person_id="dpo-patel", role=Role.DPO)
REQUIRED = {"PMLEDGER_DB", "PMLEDGER_ACTOR", "PMLEDGER_KEYS", "PMLEDGER_KEY_PASSPHRASE"}

pytestmark = pytest.mark.skipif(
    not (BIN / "pmledger").exists(), reason=f"no pmledger console script in {BIN}"
)


@dataclass
class Setup:
    """A ledger with due records and the values a scheduler's environment gives the purge."""

    db: str
    keys: Path
    key_id: str
    tmp: Path

    @property
    def variables(self) -> dict[str, str]:
        return {
            "PMLEDGER_DB": self.db,
            "PMLEDGER_ACTOR": f"{DPO.person_id}:{DPO.role.value}",
            "PMLEDGER_KEYS": str(self.keys),
            "PMLEDGER_KEY_PASSPHRASE": JOB_PASSPHRASE,
        }

    def env_file(self) -> Path:
        """The environment file as the crontab and service comments describe it."""
        path = self.tmp / "retention.env"
        lines = [f"{name}={value}" for name, value in self.variables.items()]
        lines[-1] = f"PMLEDGER_KEY_PASSPHRASE='{JOB_PASSPHRASE}'"
        path.write_text("\n".join(lines) + "\n")
        path.chmod(0o600)
        return path


def _registration_recipe() -> str:
    """The Python block under "Whose key, and registering it" in retention/README.md."""
    text = RETENTION_README.read_text()
    section = text[text.index("### Whose key, and registering it") :]
    found = re.search(r"```python\n(.*?)```", section, re.S)
    assert found is not None, "retention/README.md lost its key registration example"
    return found.group(1)


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Setup:
    db = str(tmp_path / "ledger.sqlite")
    admin_keys = tmp_path / "admin-keys"
    job_keys = tmp_path / "job-keys"
    with open_ledger(db, EncryptedFileKeyStore(admin_keys, ADMIN_PASSPHRASE.encode())) as ledger:
        enrol(ledger)  # hr-1, who is HR and an administrator
        for n in range(2):
            _case(ledger, f"E-{n:03}")
    # Register the job's DPO key exactly as retention/README.md tells a school to.
    recipe = _registration_recipe()
    for placeholder, value in (
        ("/path/to/admin/keys", str(admin_keys)),
        ("the administrator's passphrase", ADMIN_PASSPHRASE),
        ('"hr-okafor"', '"hr-1"'),
    ):
        assert placeholder in recipe, placeholder
        recipe = recipe.replace(placeholder, value)
    monkeypatch.setenv("PMLEDGER_DB", db)
    monkeypatch.setenv("PMLEDGER_KEYS", str(job_keys))
    monkeypatch.setenv("PMLEDGER_KEY_PASSPHRASE", JOB_PASSPHRASE)
    names: dict[str, Any] = {}
    exec(compile(recipe, str(RETENTION_README), "exec"), names)
    [key_file] = job_keys.iterdir()
    assert key_file.name == names["key_id"].replace(":", "-") + ".pem"
    assert (job_keys.stat().st_mode & 0o777, key_file.stat().st_mode & 0o777) == (0o700, 0o600)
    return Setup(db=db, keys=job_keys, key_id=names["key_id"], tmp=tmp_path)


def _run(argv: list[str], env: Mapping[str, str]) -> list[dict[str, Any]]:
    """Run a scheduler's command; return the JSON summaries it printed, in order."""
    done = subprocess.run(
        argv, check=False, env=dict(env), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    decoder, out, summaries = json.JSONDecoder(), done.stdout, []
    position = 0
    while out[position:].strip():
        position += len(out[position:]) - len(out[position:].lstrip())
        summary, position = decoder.raw_decode(out, position)
        summaries.append(summary)
    return summaries


def _disposed(summary: dict[str, Any]) -> set[tuple[str, str]]:
    return {(d["employee"], d["category"]) for d in summary["disposed"]}


def _assert_planned_then_purged(setup: Setup, summaries: list[dict[str, Any]]) -> None:
    dry, real = summaries
    assert dry["dry_run"] is True
    assert dry["keys_destroyed"] == 0
    assert real["dry_run"] is False
    assert real["ok"] is True
    assert dry["as_of"] == real["as_of"], "the plan and the purge must share one --as-of"
    # The warnings of 29 February 2024 were due from 28 August 2025; whatever else today's date
    # makes due, the plan and the purge agree, and nothing due is left behind.
    assert {("E-000", "warning"), ("E-001", "warning")} <= _disposed(real) == _disposed(dry)
    assert real["certificates"] == 2
    as_of = date.fromisoformat(real["as_of"])
    keystore = EncryptedFileKeyStore(setup.tmp / "admin-keys", ADMIN_PASSPHRASE.encode())
    with Ledger.open(setup.db, keystore=keystore) as ledger:
        statuses = {
            (i.employee_ref, i.category.value): i.status
            for i in plan(ledger, load_default(), as_of, ADMIN)
        }
        assert {k for k, s in statuses.items() if s is DisposalStatus.DISPOSED} == _disposed(real)
        assert DisposalStatus.DUE not in statuses.values()
        for n in range(2):
            who = EmployeeRef(organisation="trust", employee_ref=f"E-{n:03}")
            [certificate] = [
                e for e in ledger.reader(HR).records(who) if e.kind == "records_disposed"
            ]
            assert (certificate.actor.person_id, certificate.actor.role) == ("dpo-patel", Role.DPO)
            assert certificate.key_id == setup.key_id
        assert ledger.verify().ok


# cron ------------------------------------------------------------------------------------------


def _crontab() -> tuple[dict[str, str], str]:
    """The crontab's variables and its one job's command, as cron hands it to the shell."""
    variables: dict[str, str] = {}
    jobs = []
    for line in (SCHEDULERS / "crontab").read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        assignment = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)", line.strip())
        if assignment:
            variables[assignment[1]] = assignment[2]
            continue
        *_when, _user, command = line.split(maxsplit=6)
        jobs.append(command)
    [command] = jobs
    # In a crontab the first unescaped % ends the command; \% is a literal %.
    assert re.search(r"(?<!\\)%", command) is None, "a bare % in the crontab cuts the command"
    return variables, command.replace("\\%", "%")


def test_the_crontab_line_plans_and_purges(setup: Setup) -> None:
    variables, command = _crontab()
    assert ENV_FILE in command
    command = command.replace(ENV_FILE, str(setup.env_file()))
    # Cron gives the job the crontab's variables and little else: PMLEDGER_* must come from
    # the environment file, exported to pmledger.
    env = {
        **variables,
        "PATH": f"{BIN}:{variables['PATH']}",
        "HOME": str(setup.tmp),
        "LOGNAME": "pmledger",
    }
    shell = variables.get("SHELL", "/bin/sh")
    _assert_planned_then_purged(setup, _run([shell, "-c", command], env))


# systemd ---------------------------------------------------------------------------------------


def _service() -> dict[str, list[str]]:
    """The [Service] section's settings (continuation lines joined), each key to its values."""
    settings: dict[str, list[str]] = {}
    section = ""
    text = (SCHEDULERS / "pmledger-retention.service").read_text().replace("\\\n", " ")
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]":
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def _systemd_unescape(value: str) -> str:
    """systemd's %% and $$; any other specifier or $VARIABLE would be systemd's, not the
    shell's, so the example must have none."""
    without = value.replace("%%", "").replace("$$", "")
    assert "%" not in without, f"unescaped systemd specifier in {value!r}"
    assert "$" not in without, f"systemd would expand a $ in {value!r}"
    return value.replace("%%", "%").replace("$$", "$")


def test_the_systemd_service_plans_and_purges(setup: Setup) -> None:
    settings = _service()
    assert settings["EnvironmentFile"] == [ENV_FILE]
    env = dict(setup.variables)  # what systemd reads from the EnvironmentFile
    for assignments in settings.get("Environment", []):
        for assignment in shlex.split(assignments):
            name, _, value = assignment.partition("=")
            env[name] = value
    env["PATH"] = f"{BIN}:{env.get('PATH', '/usr/bin:/bin')}"
    [exec_start] = settings["ExecStart"]
    argv = shlex.split(_systemd_unescape(exec_start))
    assert argv[:2] == ["/bin/sh", "-c"]
    _assert_planned_then_purged(setup, _run(argv, env))


# Kubernetes ------------------------------------------------------------------------------------
#
# PyYAML is not a dependency of pmledger or its tests, so the CronJob is read by the small
# reader below, which knows just the YAML the example uses (block mappings and sequences, flow
# lists, `|` block scalars, plain and quoted scalars) and refuses anything else; where PyYAML is
# installed the test also checks that both read the file the same.

_KEY = re.compile(r"([^\s:#\-\[{'\"][^:#]*?):(?: +(.*))?")
_SPECIAL = {"true": True, "false": False, "null": None, "~": None}


def _yaml_scalar(text: str) -> Any:
    text = text.strip()
    if text[:1] == "[":
        assert text.endswith("]"), text
        items = re.findall(r"\"[^\"]*\"|'[^']*'|[^,\s][^,]*", text[1:-1])
        return [_yaml_scalar(item) for item in items]
    if text[:1] == "{":
        assert text == "{}", f"flow mapping not supported: {text}"
        return {}
    if text[:1] == '"':
        return json.loads(text)
    if text[:1] == "'":
        assert text.endswith("'"), text
        return text[1:-1].replace("''", "'")
    text = re.sub(r"\s+#.*$", "", text)
    assert text[:1] not in ("&", "*", "!", "|", ">", "%", "@", "`"), f"unsupported: {text}"
    if text in _SPECIAL:
        return _SPECIAL[text]
    if re.fullmatch(r"0[0-7]+", text):  # YAML 1.1, as Kubernetes reads it: 0440 is octal
        return int(text, 8)
    if re.fullmatch(r"[-+]?(0|[1-9][0-9]*)", text):
        return int(text)
    return text


Token = tuple[int, str, str | None]
"""A line's indentation, its text, and the literal block scalar it introduces, if any."""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _yaml_tokens(text: str) -> list[Token]:
    raw = text.splitlines()
    tokens: list[Token] = []
    n = 0
    while n < len(raw):
        line = raw[n]
        n += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        assert stripped != "---", "one document only"
        assert not line[: _indent(line) + 1].strip(" ").startswith("\t"), "tab indentation"
        indent = _indent(line)
        literal = None
        block = re.fullmatch(r"(- |[^|]*?: )\|(-?)", stripped)
        if block:
            body: list[str] = []
            while n < len(raw) and (not raw[n].strip() or _indent(raw[n]) > indent):
                body.append(raw[n])
                n += 1
            while body and not body[-1].strip():
                body.pop()
            assert body, f"empty block scalar after {stripped!r}"
            inner = min(_indent(b) for b in body if b.strip())
            literal = "\n".join(b[inner:] for b in body) + ("" if block[2] else "\n")
            stripped = block[1].rstrip()
        tokens.append((indent, stripped, literal))
    return tokens


def _yaml_node(tokens: list[Token], pos: int, indent: int) -> tuple[Any, int]:
    if tokens[pos][1].startswith("-"):
        return _yaml_sequence(tokens, pos, indent)
    return _yaml_mapping(tokens, pos, indent)


def _yaml_value(tokens: list[Token], pos: int, indent: int, rest: str | None) -> tuple[Any, int]:
    """The value of the key or item at tokens[pos], whose text after it is `rest`."""
    literal = tokens[pos][2]
    if literal is not None:
        return literal, pos + 1
    if rest:
        return _yaml_scalar(rest), pos + 1
    following = tokens[pos + 1] if pos + 1 < len(tokens) else None
    if following and (
        following[0] > indent or (following[0] == indent and following[1].startswith("- "))
    ):
        return _yaml_node(tokens, pos + 1, following[0])
    return None, pos + 1


def _yaml_mapping(tokens: list[Token], pos: int, indent: int) -> tuple[dict[str, Any], int]:
    result: dict[str, Any] = {}
    while pos < len(tokens) and tokens[pos][0] == indent and not tokens[pos][1].startswith("-"):
        key = _KEY.fullmatch(tokens[pos][1])
        assert key, f"not a mapping key: {tokens[pos][1]!r}"
        assert key[1] not in result, f"duplicate key {key[1]}"
        result[key[1]], pos = _yaml_value(tokens, pos, indent, key[2])
    assert pos == len(tokens) or tokens[pos][0] < indent, f"bad indentation at {tokens[pos]}"
    return result, pos


def _yaml_sequence(tokens: list[Token], pos: int, indent: int) -> tuple[list[Any], int]:
    result: list[Any] = []
    while pos < len(tokens) and tokens[pos][0] == indent and tokens[pos][1].startswith("-"):
        _, text, literal = tokens[pos]
        item = text[1:].strip()
        if item and _KEY.fullmatch(item):  # "- key: value" opens a mapping two columns in
            tokens[pos] = (indent + 2, item, literal)
            value, pos = _yaml_mapping(tokens, pos, indent + 2)
        else:
            value, pos = _yaml_value(tokens, pos, indent, item)
        result.append(value)
    return result, pos


def _load_yaml(text: str) -> Any:
    tokens = _yaml_tokens(text)
    document, end = _yaml_node(tokens, 0, tokens[0][0])
    assert end == len(tokens), f"unread YAML from {tokens[end]}"
    try:
        import yaml
    except ImportError:
        return document
    assert document == yaml.safe_load(text)
    return document


def test_the_kubernetes_cronjob_plans_and_purges(setup: Setup) -> None:
    cronjob = _load_yaml((SCHEDULERS / "kubernetes-cronjob.yaml").read_text())
    pod = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    [container] = [c for c in pod["containers"] if c["name"] == "purge"]
    declared = {e["name"]: e for e in container["env"]}
    assert set(declared) >= REQUIRED
    # PMLEDGER_KEYS is where a Secret holding the key is mounted.
    secret_volumes = {v["name"] for v in pod["volumes"] if "secret" in v}
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    keys_mount = mounts[declared["PMLEDGER_KEYS"]["value"]]
    assert keys_mount["name"] in secret_volumes
    assert keys_mount.get("readOnly") is True
    # The other three come from a Secret, never from the file.
    for name in REQUIRED - {"PMLEDGER_KEYS"}:
        assert "secretKeyRef" in declared[name].get("valueFrom", {}), name
    env = {name: e["value"] for name, e in declared.items() if "value" in e}
    env.update(setup.variables)
    env["PATH"] = f"{BIN}:/usr/bin:/bin"
    argv = [*container["command"], *container["args"]]
    # Kubernetes itself expands $(NAME) for a declared variable; the script must leave that to
    # the shell.
    script = " ".join(argv)
    assert not set(re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", script)) & set(declared)
    _assert_planned_then_purged(setup, _run(argv, env))


# the variables ---------------------------------------------------------------------------------


def test_retention_plan_reads_the_actor_and_keys_from_the_environment(setup: Setup) -> None:
    base = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(setup.tmp)}
    argv = ["pmledger", "retention", "plan", "--db", setup.db, "--as-of", "2025-09-01", "--json"]
    done = subprocess.run(
        argv,
        env={**base, **setup.variables},
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    due = [(i["employee"], i["category"]) for i in json.loads(done.stdout) if i["status"] == "due"]
    assert due == [("E-000", "warning"), ("E-001", "warning")]
    # A flag wins over its variable: HR may not dispose, whatever the environment says.
    as_hr = ["--actor", "hr-1:hr", "--keys", str(setup.tmp / "admin-keys")]
    done = subprocess.run(
        [*argv, *as_hr],
        check=False,
        env={**base, **setup.variables, "PMLEDGER_KEY_PASSPHRASE": ADMIN_PASSPHRASE},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "not theirs to dispose of" in json.loads(done.stdout)["error"]
    # Without either, the error names both flags and both variables.
    only_passphrase = {"PMLEDGER_KEY_PASSPHRASE": JOB_PASSPHRASE}
    done = subprocess.run(
        argv,
        env={**base, **only_passphrase},
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    message = json.loads(done.stdout)["error"]
    assert "Missing option '--actor' (env var: 'PMLEDGER_ACTOR')" in message


def test_retention_purge_without_a_person_is_usage_not_failure(setup: Setup) -> None:
    base = {"PATH": f"{BIN}:/usr/bin:/bin", "HOME": str(setup.tmp)}
    variables = {k: v for k, v in setup.variables.items() if k != "PMLEDGER_ACTOR"}
    done = subprocess.run(
        ["pmledger", "retention", "purge", "--db", setup.db, "--as-of", "2025-09-01"],
        check=False,
        env={**base, **variables},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    summary = json.loads(done.stdout)
    assert summary["ok"] is False
    assert "'PMLEDGER_ACTOR'" in summary["error"]
