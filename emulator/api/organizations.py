"""Routes of client.organizations and client.organizations.members."""

from __future__ import annotations

from typing import Any, Literal, Optional

from fastapi import APIRouter, Depends
from pydantic import Field

from emulator.api.common import Body, context, ok
from emulator.errors import StytchAPIError
from emulator.state import Context, members, organizations, search, totps

router = APIRouter()


class OrganizationFields(Body):
    organization_name: Optional[str] = None
    organization_slug: Optional[str] = None
    organization_logo_url: Optional[str] = None
    trusted_metadata: Optional[dict[str, Any]] = None
    organization_external_id: Optional[str] = None
    sso_jit_provisioning: Optional[str] = None
    email_allowed_domains: Optional[list[str]] = None
    email_jit_provisioning: Optional[str] = None
    email_invites: Optional[str] = None
    auth_methods: Optional[str] = None
    allowed_auth_methods: Optional[list[str]] = None
    mfa_policy: Optional[str] = None
    rbac_email_implicit_role_assignments: Optional[list[dict[str, Any]]] = None
    mfa_methods: Optional[str] = None
    allowed_mfa_methods: Optional[list[str]] = None
    oauth_tenant_jit_provisioning: Optional[str] = None
    claimed_email_domains: Optional[list[str]] = None


class CreateOrganization(OrganizationFields):
    organization_name: str


class SearchOperand(Body):
    filter_name: str
    filter_value: Any


class SearchQuery(Body):
    operator: Literal["AND", "OR"] = "AND"
    operands: list[SearchOperand] = Field(default_factory=list)


class SearchOrganizations(Body):
    cursor: Optional[str] = None
    limit: Optional[int] = Field(default=None, ge=1, le=1000)
    query: Optional[SearchQuery] = None


@router.post("/v1/b2b/organizations")
def create_organization(body: CreateOrganization, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        settings = body.given("organization_name", "organization_slug")
        org = organizations.create(ctx, body.organization_name, body.organization_slug, settings)
    return ok(ctx, organization=org)


@router.post("/v1/b2b/organizations/search")
def search_organizations(body: SearchOrganizations, ctx: Context = Depends(context)):
    query = body.query or SearchQuery()
    start, limit = search.offset(body.cursor), body.limit or search.DEFAULT_LIMIT
    total, page = organizations.search(ctx, query.operator, [op.model_dump() for op in query.operands], start, limit)
    return ok(ctx, organizations=page, results_metadata=search.results_metadata(total, start, limit))


@router.get("/v1/b2b/organizations/{organization_id}")
def get_organization(organization_id: str, ctx: Context = Depends(context)):
    return ok(ctx, organization=organizations.get(ctx, organization_id))


@router.put("/v1/b2b/organizations/{organization_id}")
def update_organization(organization_id: str, body: OrganizationFields, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        org = organizations.update(ctx, organization_id, body.given())
    return ok(ctx, organization=org)


@router.delete("/v1/b2b/organizations/{organization_id}")
def delete_organization(organization_id: str, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        deleted = organizations.delete(ctx, organization_id)
    return ok(ctx, organization_id=deleted)


# Members ---------------------------------------------------------------------------------


class MemberFields(Body):
    name: Optional[str] = None
    trusted_metadata: Optional[dict[str, Any]] = None
    untrusted_metadata: Optional[dict[str, Any]] = None
    is_breakglass: Optional[bool] = None
    mfa_phone_number: Optional[str] = None
    mfa_enrolled: Optional[bool] = None
    external_id: Optional[str] = None


class CreateMember(MemberFields):
    email_address: str
    create_member_as_pending: Optional[bool] = None


class UpdateMember(MemberFields):
    default_mfa_method: Optional[str] = None
    email_address: Optional[str] = None


class SearchMembers(SearchOrganizations):
    organization_ids: list[str]


@router.post("/v1/b2b/organizations/{organization_id}/members")
def create_member(organization_id: str, body: CreateMember, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        status = "pending" if body.create_member_as_pending else "active"
        member = members.create(ctx, organization_id, body.email_address, status=status,
                                fields=body.given("email_address", "create_member_as_pending"))
        org = organizations.get(ctx, organization_id)
    return ok(ctx, **members.payload(ctx, org, member))


@router.get("/v1/b2b/organizations/{organization_id}/member")
def get_member(
    organization_id: str,
    member_id: Optional[str] = None,
    email_address: Optional[str] = None,
    ctx: Context = Depends(context),
):
    if member_id:
        member = members.get(ctx, organization_id, member_id)
    elif email_address:
        member = members.get_by_email(ctx, organization_id, email_address)
    else:
        raise StytchAPIError("bad_request", "Pass member_id or email_address.")
    return ok(ctx, **members.payload(ctx, organizations.get(ctx, organization_id), member))


@router.post("/v1/b2b/organizations/members/search")
def search_members(body: SearchMembers, ctx: Context = Depends(context)):
    query = body.query or SearchQuery()
    start, limit = search.offset(body.cursor), body.limit or search.DEFAULT_LIMIT
    total, page = members.search(ctx, body.organization_ids, query.operator,
                                 [op.model_dump() for op in query.operands], start, limit)
    orgs = {o: organizations.get(ctx, o) for o in {m["organization_id"] for m in page}}
    return ok(ctx, members=[members.public(ctx, m) for m in page],
              results_metadata=search.results_metadata(total, start, limit), organizations=orgs)


@router.put("/v1/b2b/organizations/{organization_id}/members/{member_id}")
def update_member(organization_id: str, member_id: str, body: UpdateMember, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        member = members.update(ctx, organization_id, member_id, body.given())
    return ok(ctx, **members.payload(ctx, organizations.get(ctx, organization_id), member))


@router.delete("/v1/b2b/organizations/{organization_id}/members/mfa_phone_numbers/{member_id}")
def delete_member_phone(organization_id: str, member_id: str, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        member = members.delete_phone(ctx, organization_id, member_id)
    return ok(ctx, **members.payload(ctx, organizations.get(ctx, organization_id), member))


@router.delete("/v1/b2b/organizations/{organization_id}/members/{member_id}/totp")
def delete_member_totp(organization_id: str, member_id: str, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        member = members.get(ctx, organization_id, member_id)
        totps.delete(ctx, member)
    return ok(ctx, **members.payload(ctx, organizations.get(ctx, organization_id), member))


@router.delete("/v1/b2b/organizations/{organization_id}/members/{member_id}")
def delete_member(organization_id: str, member_id: str, ctx: Context = Depends(context)):
    with ctx.store.transaction():
        deleted = members.delete(ctx, organization_id, member_id)
    return ok(ctx, member_id=deleted)
