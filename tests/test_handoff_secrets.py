"""Secrets handled like secrets, and addresses that cannot reach internal machines."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from audit.handoff.address import Endpoint, check_host, parse_amo_account, parse_webhook, resolve_public
from audit.handoff.errors import AddressRefused, SecretProblem
from audit.handoff.vault import KEY_FILE, Vault, key_folder, masked_webhook, redact_secrets

SECRET = "s3cr3tW3bh00kValue"


def resolver(*addresses: str) -> Any:
    def answer(host: str, port: int, type: int = 0) -> list[tuple[Any, ...]]:
        family = socket.AF_INET6 if ":" in addresses[0] else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]
    return answer


# ------------------------------------------------------------------ addresses


@pytest.mark.parametrize("url, key", [
    ("http://portal.bitrix24.ru/rest/1/abcdef123/", "address_https"),
    ("https://192.168.1.10/rest/1/abcdef123/", "address_ip"),
    ("https://[::1]/rest/1/abcdef123/", "address_ip"),
    ("https://127.0.0.1/rest/1/abcdef123/", "address_ip"),
    ("https://localhost/rest/1/abcdef123/", "address_name"),
    ("https://crm.local/rest/1/abcdef123/", "address_private"),
    ("https://metadata.internal/rest/1/abcdef123/", "address_private"),
    ("https://0x7f.1/rest/1/abcdef123/", "address_name"),
    ("https://2130706433/rest/1/abcdef123/", "address_name"),
    ("https://user:pw@portal.bitrix24.ru/rest/1/abcdef123/", "address_form"),
    ("https://portal.bitrix24.ru/rest/1/abcdef123/?x=1", "address_form"),
    ("https://portal.bitrix24.ru/api/1/abcdef123/", "address_webhook"),
    ("https://portal.bitrix24.ru/rest/x/abcdef123/", "address_webhook"),
    ("https://portal.bitrix24.ru:99999/rest/1/abcdef123/", "address_form"),
    ("https://portal.bitrix24.ru/rest/1/" + "a" * 600, "address_long"),
])
def test_webhook_addresses_that_are_refused(url: str, key: str) -> None:
    with pytest.raises(AddressRefused) as refused:
        parse_webhook(url)
    assert refused.value.key == key


def test_a_webhook_is_read_with_or_without_a_method_after_it() -> None:
    for url in (f"https://Portal.Bitrix24.ru/rest/12/{SECRET}/", f"https://portal.bitrix24.ru/rest/12/{SECRET}",
                f"https://portal.bitrix24.ru/rest/12/{SECRET}/profile.json"):
        hook = parse_webhook(url)
        assert hook.endpoint == Endpoint("https", "portal.bitrix24.ru", 443, f"/rest/12/{SECRET}/")
        assert hook.user_id == "12" and hook.secret == SECRET
    shown = masked_webhook(hook.endpoint.origin, hook.user_id)
    assert SECRET not in shown and shown == "https://portal.bitrix24.ru/rest/12/••••••••/"


@pytest.mark.parametrize("addresses", [
    ("10.0.0.5",), ("172.16.3.4",), ("192.168.0.1",), ("127.0.0.1",), ("169.254.169.254",), ("100.64.0.1",), ("0.0.0.0",),
    ("::1",), ("fe80::1",), ("fd00::1",), ("::ffff:127.0.0.1",), ("93.184.216.34", "10.0.0.1"), ("224.0.0.1",),
])
def test_names_that_resolve_to_internal_addresses_are_refused(addresses: tuple[str, ...]) -> None:
    endpoint = Endpoint("https", "portal.example.com", 443)
    with pytest.raises(AddressRefused) as refused:
        resolve_public(endpoint, resolver=resolver(*addresses))
    assert refused.value.key == "address_private"


def test_a_public_name_resolves_and_an_unknown_one_is_said_so() -> None:
    endpoint = Endpoint("https", "portal.example.com", 443)
    assert resolve_public(endpoint, resolver=resolver("93.184.216.34")) == ["93.184.216.34"]

    def nothing(*_args: Any, **_kwargs: Any) -> list[Any]:
        raise socket.gaierror("no such host")

    with pytest.raises(AddressRefused) as refused:
        resolve_public(endpoint, resolver=nothing)
    assert refused.value.key == "address_unknown"


def test_the_local_test_setting_lets_loopback_only_through() -> None:
    hook = parse_webhook(f"http://127.0.0.1:8080/rest/1/{SECRET}/", local=True)
    assert hook.endpoint.scheme == "http" and hook.endpoint.port == 8080
    assert resolve_public(hook.endpoint, local=True, resolver=resolver("127.0.0.1")) == ["127.0.0.1"]
    with pytest.raises(AddressRefused):
        parse_webhook(f"http://10.1.2.3:8080/rest/1/{SECRET}/", local=True)
    with pytest.raises(AddressRefused):
        parse_webhook(f"http://portal.example.com/rest/1/{SECRET}/", local=True)
    with pytest.raises(AddressRefused):
        resolve_public(Endpoint("https", "portal.example.com", 443), local=True, resolver=resolver("10.0.0.1"))
    with pytest.raises(AddressRefused):
        parse_webhook(f"http://127.0.0.1:8080/rest/1/{SECRET}/")  # without the setting


def test_amocrm_accounts_are_amocrm_or_kommo_hosts_only() -> None:
    assert parse_amo_account("mycompany").host == "mycompany.amocrm.ru"
    assert parse_amo_account("MyCompany.kommo.com").origin == "https://mycompany.kommo.com"
    assert parse_amo_account("https://shop.amocrm.com/leads").host == "shop.amocrm.com"
    for bad in ("evil.example.com", "a.b.amocrm.ru", "https://amocrm.ru", "http://shop.amocrm.ru", "shop amocrm", "10.0.0.1",
                "https://shop.amocrm.ru.evil.com"):
        with pytest.raises(AddressRefused):
            parse_amo_account(bad)


def test_check_host_lowercases_and_refuses_numbers() -> None:
    assert check_host("Portal.Example.COM.") == "portal.example.com"
    with pytest.raises(AddressRefused):
        check_host("example.123")


# ------------------------------------------------------------------ sealing


def test_a_key_file_is_created_once_with_owner_only_permissions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDIT_SECRET_KEY", raising=False)
    url = f"sqlite:///{tmp_path / 'data' / 'a.sqlite'}"
    assert key_folder(url) == tmp_path / "data"
    sealed = Vault.for_database(url).seal({"url": SECRET})
    key_file = tmp_path / "data" / KEY_FILE
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    first = key_file.read_bytes()
    assert Vault.for_database(url).open(sealed) == {"url": SECRET}
    assert key_file.read_bytes() == first and SECRET not in sealed
    os.chmod(key_file, 0o644)
    Vault.for_database(url)
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600  # widened by someone: closed again
    assert [p.name for p in (tmp_path / "data").iterdir()] == [KEY_FILE]  # no temporary file left


def test_a_symlinked_key_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDIT_SECRET_KEY", raising=False)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / KEY_FILE).symlink_to(tmp_path / "elsewhere")
    with pytest.raises(SecretProblem):
        Vault.for_database(f"sqlite:///{tmp_path / 'a.sqlite'}")


def test_the_environment_key_wins_and_can_be_replaced_without_losing_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = Fernet.generate_key().decode(), "a long random passphrase that is only for this test!"
    monkeypatch.setenv("AUDIT_SECRET_KEY", old)
    sealed = Vault.for_database("postgresql+psycopg://x/y").seal({"token": SECRET})
    monkeypatch.setenv("AUDIT_SECRET_KEY", f"{new},{old}")
    vault = Vault.for_database("postgresql+psycopg://x/y")
    assert vault.open(sealed) == {"token": SECRET}
    monkeypatch.setenv("AUDIT_SECRET_KEY", new)
    assert Vault.for_database("x").open(vault.seal({"a": 1})) == {"a": 1}
    with pytest.raises(SecretProblem) as problem:
        Vault.for_database("x").open(sealed)
    assert problem.value.key == "key_changed"
    monkeypatch.setenv("AUDIT_SECRET_KEY", "short")
    with pytest.raises(SecretProblem) as short:
        Vault.for_database("x")
    assert short.value.key == "key_short"


def test_postgresql_without_a_key_is_told_to_set_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDIT_SECRET_KEY", raising=False)
    with pytest.raises(SecretProblem) as problem:
        Vault.for_database("postgresql+psycopg://audit:audit@db/audit")
    assert problem.value.key == "key_missing"


def test_secrets_are_cut_out_of_texts_before_logging() -> None:
    text = (f"HTTPSConnectionPool(host='p.bitrix24.ru'): Max retries exceeded with url: /rest/1/{SECRET}/batch "
            "Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ0ZXN0In0.c2lnbmF0dXJlLW9mLXRoZQ "
            "sealed gAAAAABnZmVybmV0LXRva2VuLWxvb2tzLWxpa2UtdGhpcw==")
    clean = redact_secrets(text)
    assert SECRET not in clean and "eyJ0eXAi" not in clean and "gAAAAAB" not in clean
    assert "/rest/1/***" in clean and "p.bitrix24.ru" in clean


def test_the_apps_log_redaction_cuts_crm_secrets_and_the_link() -> None:
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import streamlit as st

        from audit.ui.common import redact

        st.text(redact("POST /rest/1/s3cr3tW3bh00kValue/batch failed for ?t=" + st.query_params.get("t", "")))

    at = AppTest.from_function(script)
    at.query_params["t"] = "ownertoken123456789"
    at.run()
    assert at.text[0].value == "POST /rest/1/***/batch failed for ?t=***"
