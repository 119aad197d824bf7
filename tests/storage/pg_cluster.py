"""A throwaway PostgreSQL cluster with TLS, made at test time: initdb into a temporary folder,
a self-signed certificate made with `cryptography`, ssl=on, a free port, its own socket
folder. PostgreSQL refuses to run as root, so as root the server runs as `postgres` (or
`nobody`). Skips only when the server binaries are not installed, and fails instead when
PMLEDGER_REQUIRE_POSTGRES=1 (CI)."""

from __future__ import annotations

import glob
import ipaddress
import os
import pwd
import socket
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

PASSWORD = "alice's password"


@dataclass(frozen=True)
class Cluster:
    port: int
    sockets: Path
    root_cert: Path
    """The certificate the server presents (self-signed: its own root)."""
    wrong_root: Path
    """Another self-signed certificate, which did not sign the server's."""

    def dsn(
        self, database: str = "ledger", user: str = "postgres", password: str = "", **params: str
    ) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        auth = f"{user}:{quote(password, safe='')}" if password else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}" + (
            f"?{query}" if query else ""
        )


def server_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and localhost, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    start = datetime(2025, 1, 1, tzinfo=UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=36500))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / f"{name}.crt", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def _as_server_user(folder: Path) -> list[str]:
    """The command prefix that runs a server binary as a user PostgreSQL accepts."""
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        try:
            user = pwd.getpwnam(name)
        except KeyError:
            continue
        for path in (folder, *folder.rglob("*")):
            os.chown(path, user.pw_uid, user.pw_gid)
        return ["runuser", "-u", name, "--"]
    pytest.fail("running as root, and neither a postgres nor a nobody user to run PostgreSQL as")


def start_cluster(folder: Path) -> tuple[Cluster, list[str]]:
    binaries = server_binaries()
    if binaries is None:
        if os.environ.get("PMLEDGER_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL server binaries are required (PMLEDGER_REQUIRE_POSTGRES=1)")
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    folder.chmod(0o755)
    data, sockets, certs = folder / "data", folder / "sockets", folder / "certs"
    sockets.mkdir()
    certs.mkdir()
    server_cert, server_key = _certificate(certs, "server")
    wrong_root, _ = _certificate(certs, "wrong")
    port = _free_port()
    prefix = _as_server_user(folder)
    subprocess.run(
        [*prefix, str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"],
        check=True,
        capture_output=True,
    )
    (data / "pg_hba.conf").write_text(
        "local all all trust\n"
        "hostssl all alice 127.0.0.1/32 scram-sha-256\n"
        "host all postgres 127.0.0.1/32 trust\n"
    )
    options = (
        f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c ssl=on "
        f"-c ssl_cert_file={server_cert} -c ssl_key_file={server_key} -c fsync=off"
    )
    log = folder / "server.log"
    start = [str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w"]
    subprocess.run([*prefix, *start, "start"], check=True, capture_output=True)
    password = PASSWORD.replace("'", "''")
    psql = [str(binaries / "psql"), "-h", str(sockets), "-p", str(port), "-U", "postgres"]
    subprocess.run(
        [*prefix, *psql, "-d", "postgres", "-c", f"CREATE ROLE alice LOGIN PASSWORD '{password}'"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*prefix, *psql, "-d", "postgres", "-c", "CREATE DATABASE ledger OWNER alice"],
        check=True,
        capture_output=True,
    )
    stop = [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
    return Cluster(port, sockets, server_cert, wrong_root), stop


def stop_cluster(stop: list[str]) -> None:
    subprocess.run(stop, check=False, capture_output=True)
