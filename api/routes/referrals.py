"""Referrals: create from a triage result (or level + department), read, move through states."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api.deps import CareReader, ContainerDep, LanguageDep, PatientAdmin
from api.schemas_tools import ReferralCreate, ReferralPublic, ReferralStatusUpdate
from api.services import referrals as service

router = APIRouter(prefix="/v1/referrals", tags=["referrals"])


@router.post("", status_code=201, responses={200: {"description": "emergency: call 120"}})
async def create_referral(
    c: ContainerDep,
    caller: PatientAdmin,
    language: LanguageDep,
    body: ReferralCreate,
    response: Response,
) -> ReferralPublic:
    referral = await service.create_referral(c, caller.tenant_id, body, language)
    if referral.id is None:
        response.status_code = 200  # nothing created: the plan says call 120
    return referral


@router.get("/{referral_id}")
async def read_referral(c: ContainerDep, caller: CareReader, referral_id: str) -> ReferralPublic:
    return await service.read_referral(c, caller.tenant_id, referral_id)


@router.post("/{referral_id}/status")
async def change_referral_status(
    c: ContainerDep, caller: PatientAdmin, referral_id: str, body: ReferralStatusUpdate
) -> ReferralPublic:
    return await service.change_referral_status(c, caller.tenant_id, referral_id, body)
