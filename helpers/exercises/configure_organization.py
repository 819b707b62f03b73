"""Exercises of lesson 01, *Configure the organization*: the arguments of
`organizations.update` for a policy, the methods a member may enroll, and whether a member's
next login asks for MFA."""

from __future__ import annotations

from typing import Any, Callable

from stytch.core.response_base import StytchError

from helpers.exercises import scenarios
from helpers.exercises.backends import CheckBackend
from helpers.exercises.exercise import Case, Exercise, describe_error, expect
from helpers.exercises.feedback import short

BOTH = ["sms_otp", "totp"]


def mfa_settings(required, methods):
    """The keyword arguments for client.organizations.update that make MFA
    - required for every member at every login when `required` is True, optional otherwise;
    - possible with exactly the `methods` listed ("sms_otp", "totp" or both).
    """
    return {
        "mfa_policy": "REQUIRED_FOR_ALL" if required else "OPTIONAL",
        "mfa_methods": "ALL_ALLOWED" if set(methods) == {"sms_otp", "totp"} else "RESTRICTED",
        "allowed_mfa_methods": list(methods),
    }


def methods_to_offer(organization):
    """The MFA methods a member of `organization` (an SDK Organization) may enroll in, as a
    list of "sms_otp" and/or "totp"."""
    if organization.mfa_methods == "RESTRICTED":
        return list(organization.allowed_mfa_methods)
    return ["sms_otp", "totp"]


def mfa_at_next_login(organization, member):
    """True if `member`'s next login to `organization` (SDK Organization and Member) stops at
    an MFA step; False if primary authentication alone gives them a session."""
    return organization.mfa_policy == "REQUIRED_FOR_ALL" or member.mfa_enrolled


def _effective_methods(org: Any) -> list[str]:
    return sorted(org.allowed_mfa_methods) if org.mfa_methods == "RESTRICTED" else BOTH


def _settings_cases(backend: CheckBackend) -> list[Case]:
    client = backend.client
    org_id = scenarios.organization(backend, "check-01-settings").organization_id

    def case(name: str, required: bool, methods: list[str]) -> Case:
        wanted_policy = "REQUIRED_FOR_ALL" if required else "OPTIONAL"

        def run(learner: Callable) -> str | None:
            # Start from the opposite settings, so an argument left out shows.
            client.organizations.update(
                organization_id=org_id, mfa_policy="OPTIONAL" if required else "REQUIRED_FOR_ALL",
                mfa_methods="RESTRICTED", allowed_mfa_methods=["sms_otp"] if methods == ["totp"] else ["totp"],
            )
            arguments = learner(required, methods)
            if not isinstance(arguments, dict):
                return f"expected a dict of keyword arguments for organizations.update, got {short(arguments)}"
            try:
                org = client.organizations.update(organization_id=org_id, **arguments).organization
            except StytchError as error:
                return f"Stytch refused organizations.update(**{short(arguments)}): {describe_error(error)}"
            except TypeError as error:
                return f"organizations.update(**{short(arguments)}) raised {describe_error(error)}"
            return (expect(org.mfa_policy, wanted_policy, "mfa_policy decides whether MFA is required")
                    or expect(_effective_methods(org), sorted(methods),
                              "these are the methods members could use after your update (allowed_mfa_methods "
                              "only counts when mfa_methods is RESTRICTED)"))

        return Case(name, run)

    return [
        case("SMS only, required for every member", True, ["sms_otp"]),
        case("authenticator app only, optional", False, ["totp"]),
        case("any method, required for every member", True, BOTH),
        case("any method, optional", False, BOTH),
    ]


def _offer_cases(backend: CheckBackend) -> list[Case]:
    def organizations() -> list[tuple[str, Any, list[str], str]]:
        org_id = scenarios.organization(backend, "check-01-offer").organization_id
        settings = [
            ("RESTRICTED to totp", "RESTRICTED", ["totp"], ["totp"],
             "Stytch refuses SMS calls in this organization, so do not offer SMS"),
            ("RESTRICTED to sms_otp", "RESTRICTED", ["sms_otp"], ["sms_otp"], ""),
            ("ALL_ALLOWED, with allowed_mfa_methods still ['totp'] from an earlier setting", "ALL_ALLOWED",
             ["totp"], BOTH, "allowed_mfa_methods is ignored under ALL_ALLOWED"),
            ("ALL_ALLOWED", "ALL_ALLOWED", BOTH, BOTH, ""),
        ]
        found = []
        for name, mfa_methods, allowed, expected, why in settings:
            org = backend.client.organizations.update(
                organization_id=org_id, mfa_methods=mfa_methods, allowed_mfa_methods=allowed).organization
            found.append((name, org, expected, why))
        return found

    def case(name: str, org: Any, expected: list[str], why: str) -> Case:
        def run(learner: Callable) -> str | None:
            got = learner(org)
            if not isinstance(got, (list, tuple)) or not all(isinstance(m, str) for m in got):
                return f"expected a list of method names such as {short(expected)}, got {short(got)}"
            return expect(sorted(got), expected, why)

        return Case(name, run)

    return [case(*found) for found in backend.memo("01-offer", organizations)]


def _next_login_cases(backend: CheckBackend) -> list[Case]:
    def members() -> list[tuple[str, Any, Any, bool]]:
        found = []
        for name, policy, enrolled in [
            ("OPTIONAL organization, member not enrolled", "OPTIONAL", False),
            ("OPTIONAL organization, member enrolled in MFA", "OPTIONAL", True),
            ("REQUIRED_FOR_ALL organization, member not enrolled yet", "REQUIRED_FOR_ALL", False),
        ]:
            org = scenarios.organization(backend, f"check-01-{policy.lower().replace('_', '-')}", mfa_policy=policy)
            email = scenarios.email(f"ex01.{policy.lower()}.{'enrolled' if enrolled else 'plain'}")
            member = scenarios.new_member(backend, org.organization_id, email)
            if enrolled:
                member = backend.client.organizations.members.update(
                    organization_id=org.organization_id, member_id=member.member_id, mfa_enrolled=True).member
            # The truth: what the backend does at this member's login.
            stops = not scenarios.log_in(backend, org.organization_id, email).member_authenticated
            found.append((name, org, member, stops))
        return found

    def case(name: str, org: Any, member: Any, stops: bool) -> Case:
        why = ("the backend stopped this member's login at an MFA step" if stops
               else "the backend gave this member's login a session straight away")
        return Case(name, lambda learner: expect(learner(org, member), stops, why))

    return [case(*found) for found in backend.memo("01-next-login", members)]


Q1 = Exercise(
    "q1", mfa_settings,
    todo='Return a dict such as {"mfa_policy": ..., "mfa_methods": ..., "allowed_mfa_methods": [...]}.',
    hints=(
        "Three settings: mfa_policy is REQUIRED_FOR_ALL or OPTIONAL; mfa_methods is ALL_ALLOWED or "
        "RESTRICTED; allowed_mfa_methods lists the methods, and only counts under RESTRICTED.",
        "Only one method allowed means mfa_methods='RESTRICTED'. REQUIRED_FOR_ALL is never a value of "
        "mfa_methods (the guide's sample puts it there).",
    ),
    cases=_settings_cases,
)
Q2 = Exercise(
    "q2", methods_to_offer,
    todo="Return a list: the methods this organization lets its members use.",
    hints=(
        "Read organization.mfa_methods first: it decides whether allowed_mfa_methods applies.",
        "Under ALL_ALLOWED every method is allowed, whatever allowed_mfa_methods still holds.",
    ),
    cases=_offer_cases,
)
Q3 = Exercise(
    "q3", mfa_at_next_login,
    todo="Return True or False.",
    hints=(
        "Two things make MFA required: the organization's policy, and the member's own choice.",
        "Under OPTIONAL, a member with mfa_enrolled=True still gets an MFA step at every login.",
    ),
    cases=_next_login_cases,
)


def exercises(use_solutions: bool) -> tuple[Exercise, ...]:
    """q1, q2, q3 of the exercise notebook."""
    return tuple(q.with_solutions(use_solutions) for q in (Q1, Q2, Q3))
