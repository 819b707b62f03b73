"""The capstone's reference solution: the backend tab of Stytch's guide as a small Flask app,
assembled from the exercises' pieces. Lesson 06 shows it (q1.solution()) with the pieces'
sources in place of these imports, and its check drives it over HTTP."""

import secrets

import phonenumbers
from flask import Flask, jsonify, request, session
from stytch.core.response_base import StytchError
from werkzeug.exceptions import Unauthorized

from helpers.exercises.configure_organization import methods_to_offer  # exercises 01
from helpers.exercises.error_handling import handle_mfa_error  # the drills
from helpers.exercises.first_time_enrollment import next_step  # exercises 02
from helpers.exercises.optional_enrollment import opt_in  # exercises 04


def create_app(stytch_client):
    """The guide's backend tab as a Flask app. Each route reads form fields, as the guide's do,
    and answers JSON whose "next" says what the page shows next: "enroll", "verify_sms",
    "verify_totp" or "dashboard".
      POST /authenticate             token: the magic link's        {"next", "methods"}
      POST /mfa/sms/send             phone_number, as typed (none:
                                     the phone the member enrolled)  {"next": "verify_sms"}
      POST /mfa/sms/authenticate     code                           {"next": "dashboard"}
      POST /mfa/totp/create          (nothing)                      {"next": "verify_totp", "qr_code", "secret"}
      POST /mfa/totp/authenticate    code                           {"next": "dashboard"}
      POST /optional-mfa-enrollment  method ("sms_otp"/"totp"), code {"next": "dashboard"}
      GET  /dashboard                                               {"member_id", "factors"}
    The MFA routes work with the intermediate session of a login, or with the member's session
    (optional enrollment). A refused Stytch call answers {"error": action, "message": ...}
    from handle_mfa_error, with Stytch's HTTP status; no login answers 401.
    """
    app = Flask(__name__)
    app.secret_key = secrets.token_hex(32)  # signs the session cookie

    def member():
        if "member_id" not in session:
            raise Unauthorized()
        return {"organization_id": session["organization_id"], "member_id": session["member_id"]}

    def proof():
        """The IST of the login in progress, else the member's session."""
        if "intermediate_session_token" in session:
            return {"intermediate_session_token": session["intermediate_session_token"]}
        return {"session_jwt": session["stytch_session_jwt"]}

    def logged_in(response):
        session.pop("intermediate_session_token", None)
        session["stytch_session_jwt"] = response.session_jwt
        return jsonify(next="dashboard")

    @app.errorhandler(StytchError)
    def stytch_error(err):
        message, action = handle_mfa_error(err)
        return jsonify(error=action, message=message), err.details.status_code

    @app.errorhandler(Unauthorized)
    def not_logged_in(err):
        return jsonify(error="log_in_again", message="Please log in."), 401

    @app.post("/authenticate")
    def authenticate():
        resp = stytch_client.magic_links.authenticate(magic_links_token=request.form["token"])
        session.clear()
        session.update(organization_id=resp.organization_id, member_id=resp.member_id)
        step = next_step(resp)
        if step == "session":
            return logged_in(resp)
        session["intermediate_session_token"] = resp.intermediate_session_token
        if step == "enroll":
            return jsonify(next="enroll", methods=methods_to_offer(resp.organization))
        return jsonify(next=step, sms_sent=resp.mfa_required.secondary_auth_initiated == "sms_otp")

    @app.post("/mfa/sms/send")
    def mfa_sms_send():
        typed = request.form.get("phone_number")
        number = {}
        if typed:
            parsed = phonenumbers.parse(typed, "US")
            number["mfa_phone_number"] = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        stytch_client.otps.sms.send(**member(), **proof(), **number)
        return jsonify(next="verify_sms")

    @app.post("/mfa/sms/authenticate")
    def mfa_sms_authenticate():
        resp = stytch_client.otps.sms.authenticate(
            **member(), **proof(), code=request.form["code"], session_duration_minutes=60,
        )
        return logged_in(resp)

    @app.post("/mfa/totp/create")
    def mfa_totp_create():
        resp = stytch_client.totps.create(**member(), **proof(), expiration_minutes=60)
        return jsonify(next="verify_totp", qr_code=resp.qr_code, secret=resp.secret)

    @app.post("/mfa/totp/authenticate")
    def mfa_totp_authenticate():
        resp = stytch_client.totps.authenticate(
            **member(), **proof(), code=request.form["code"], session_duration_minutes=60,
        )
        return logged_in(resp)

    @app.post("/optional-mfa-enrollment")
    def optional_mfa_enrollment():
        if "stytch_session_jwt" not in session:
            raise Unauthorized()
        resp = opt_in(stytch_client, session["stytch_session_jwt"], request.form["method"], request.form["code"])
        return logged_in(resp)

    @app.get("/dashboard")
    def dashboard():
        if "stytch_session_jwt" not in session:
            raise Unauthorized()
        member_session = stytch_client.sessions.authenticate_jwt(session_jwt=session["stytch_session_jwt"]).member_session
        return jsonify(member_id=member_session.member_id,
                       factors=[factor.type for factor in member_session.authentication_factors])

    return app
