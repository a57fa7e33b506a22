"""Admin CLI: ``hm tenants``, ``hm keys``, ``hm users`` and ``hm dev setup``.

These talk to the database directly (the operator's own machine), never over HTTP. A key is
printed once, at creation; only its hash is stored.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import secrets
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.principals import SCOPES
from api.services import principals
from api.services.records import seed_tenants
from core import credentials
from core.db.auth_models import UserAccount
from core.db.session import make_engine, make_sessionmaker, upgrade_database_async
from core.errors import ConfigurationError
from core.settings import get_settings

DEV_MANAGER = "dev-manager"
DEV_PATIENT_REF = "dev-patient"


@asynccontextmanager
async def _session() -> AsyncIterator[AsyncSession]:
    url = get_settings().resolved_database_url
    await upgrade_database_async(url)
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as session:
            await seed_tenants(session)  # a fresh install has the tenant ``default``
            yield session
            await session.commit()
    finally:
        await engine.dispose()


def _run(work: Callable[[AsyncSession], Awaitable[Any]]) -> Any:
    async def go() -> Any:
        async with _session() as session:
            return await work(session)

    return asyncio.run(go())


def _emit(data: Any, as_json: bool, text: str) -> int:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str) if as_json else text)
    return 0


def register(sub: Any) -> None:
    tenants = sub.add_parser("tenants", help="create and list tenants").add_subparsers(
        dest="tenants_command", required=True
    )
    create = tenants.add_parser("create", help="a new tenant")
    create.add_argument("tenant_id")
    create.add_argument("--name", default=None, help="display name (default: the id)")
    create.add_argument(
        "--kind",
        choices=["provider", "insurer"],
        default="provider",
        help="insurer: its keys read health data only with the patient's share_with_insurer",
    )
    create.add_argument("--json", action="store_true")
    create.set_defaults(func=tenants_create)
    listing = tenants.add_parser("list", help="all tenants")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=tenants_list)

    keys = sub.add_parser("keys", help="tenant API keys").add_subparsers(
        dest="keys_command", required=True
    )
    kc = keys.add_parser("create", help="a new key (printed once)")
    kc.add_argument("--tenant", required=True)
    kc.add_argument(
        "--scope", action="append", choices=sorted(SCOPES), help="repeatable; default: all"
    )
    kc.add_argument("--name", default="")
    kc.add_argument("--json", action="store_true")
    kc.set_defaults(func=keys_create)
    kl = keys.add_parser("list", help="a tenant's keys (never their secrets)")
    kl.add_argument("--tenant", required=True)
    kl.add_argument("--json", action="store_true")
    kl.set_defaults(func=keys_list)
    kr = keys.add_parser("revoke", help="revoke a key by id")
    kr.add_argument("key_id")
    kr.add_argument("--json", action="store_true")
    kr.set_defaults(func=keys_revoke)

    users = sub.add_parser("users", help="console accounts").add_subparsers(
        dest="users_command", required=True
    )
    uc = users.add_parser("create", help="a manager or auditor account")
    uc.add_argument("--tenant", required=True)
    uc.add_argument("--username", required=True)
    uc.add_argument("--role", choices=["manager", "auditor"], default="manager")
    uc.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin (else prompt)"
    )
    uc.add_argument("--json", action="store_true")
    uc.set_defaults(func=users_create)

    dev = sub.add_parser("dev", help="development helpers").add_subparsers(
        dest="dev_command", required=True
    )
    ds = dev.add_parser("setup", help="a dev tenant key, a manager and a patient link")
    ds.add_argument("--base-url", default=None, help="default http://HM_HOST:HM_PORT")
    ds.add_argument("--json", action="store_true")
    ds.set_defaults(func=dev_setup)


def tenants_create(args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> dict[str, Any]:
        tenant = await principals.create_tenant(
            session, args.tenant_id, args.name or args.tenant_id, args.kind
        )
        return {"id": tenant.id, "name": tenant.name, "kind": tenant.kind}

    made = _run(work)
    return _emit(made, args.json, f"tenant {made['id']} created")


def tenants_list(args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        tenants = await principals.list_tenants(session)
        return [{"id": t.id, "name": t.name, "kind": t.kind} for t in tenants]

    rows = _run(work)
    return _emit(rows, args.json, "\n".join(f"{r['id']}\t{r['name']}" for r in rows))


def keys_create(args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> dict[str, Any]:
        created = await principals.create_api_key(
            session, args.tenant, name=args.name, scopes=args.scope
        )
        return created.model_dump(mode="json")

    made = _run(work)
    print("store this key now: it is not shown again", file=sys.stderr)
    return _emit(made, args.json, made["key"])


def keys_list(args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        return [
            k.model_dump(mode="json") for k in await principals.list_api_keys(session, args.tenant)
        ]

    rows = _run(work)
    text = "\n".join(
        f"{r['id']}\thm_{r['prefix']}_…\t{','.join(r['scopes'])}\t"
        f"{'revoked' if r['revoked_at'] else 'active'}\tlast used {r['last_used_at'] or '-'}"
        for r in rows
    )
    return _emit(rows, args.json, text)


def keys_revoke(args: argparse.Namespace) -> int:
    async def work(session: AsyncSession) -> dict[str, Any]:
        return (await principals.revoke_api_key(session, args.key_id)).model_dump(mode="json")

    row = _run(work)
    return _emit(row, args.json, f"key {row['id']} revoked at {row['revoked_at']}")


def users_create(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass()

    async def work(session: AsyncSession) -> dict[str, Any]:
        user = await principals.create_user(
            session, args.tenant, args.username, password, args.role
        )
        return {
            "id": user.id,
            "username": user.username,
            "role": user.role,
            "tenant_id": user.tenant_id,
        }

    made = _run(work)
    return _emit(
        made, args.json, f"{made['role']} {made['username']} created in {made['tenant_id']}"
    )


def dev_setup(args: argparse.Namespace) -> int:
    """Development only: a key of ``default``, the manager ``dev-manager`` (new password each
    run) and a patient link for ``dev-patient``."""
    settings = get_settings()
    if settings.environment == "production":
        raise ConfigurationError("hm dev setup is for development only", code="not_in_production")
    base = args.base_url or f"http://{settings.host}:{settings.port}"
    password = secrets.token_urlsafe(12)

    async def work(session: AsyncSession) -> dict[str, Any]:
        key = await principals.create_api_key(session, "default", name="dev")
        user = await session.scalar(select(UserAccount).where(UserAccount.username == DEV_MANAGER))
        if user is None:
            await principals.create_user(session, "default", DEV_MANAGER, password, "manager")
        else:
            user.password_hash = credentials.hash_password(password)
        token = await principals.issue_patient_token(
            session,
            "default",
            principals.PatientTokenCreate(patient_ref=DEV_PATIENT_REF, ttl_s=86400),
            secret=settings.token_secret.get_secret_value(),
            default_ttl_s=settings.patient_token_ttl_s,
        )
        return {
            "tenant": "default",
            "api_key": key.key,
            "manager": {"username": DEV_MANAGER, "password": password},
            "patient_link": f"{base}{token.app_path}",
            "console": f"{base}/console/",
        }

    made = _run(work)
    text = (
        f"tenant:        default\n"
        f"API key:       {made['api_key']}   (export HM_API_KEY=... for hm eval --base-url)\n"
        f"manager login: {DEV_MANAGER} / {password}   ({made['console']})\n"
        f"patient link:  {made['patient_link']}   (valid 24 h)"
    )
    return _emit(made, args.json, text)
