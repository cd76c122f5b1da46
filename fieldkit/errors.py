"""One JSON error shape for the whole API, and the base class of errors a user can act on.

Every error the API answers has the same body, whatever raised it:

    {"error": "invalid", "message": "Bản ghi chưa hợp lệ.", "errors": {"topic": "Chọn ít nhất một chủ đề."}}

`error` is a stable word a program can test (one per HTTP status, see CODES), `message` a sentence
in the user's language, and `errors`, when the request had fields at fault, one message per field.
The phone's outbox (static/js/connection.js, outbox.js) reads this shape and nothing else;
tests/test_error_shape.py holds every endpoint to it.
"""

from flask import jsonify
from flask_babel import lazy_gettext as _l

CODES = {
    400: "bad_request",
    401: "login_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
}

MESSAGES = {
    400: _l("Yêu cầu không hợp lệ."),
    401: _l("Phiên đăng nhập đã hết. Hãy đăng nhập lại."),
    403: _l("Bạn không có quyền làm việc này."),
    404: _l("Không tìm thấy."),
    405: _l("Thao tác không được phép."),
    409: _l("Bản ghi này đã có với nội dung khác."),
    413: _l("Dữ liệu gửi lên quá lớn."),
    422: _l("Dữ liệu chưa hợp lệ. Hãy sửa các mục báo lỗi."),
    429: _l("Bạn thao tác quá nhanh. Hãy đợi một lát rồi thử lại."),
    500: _l("Hệ thống gặp lỗi. Hãy thử lại sau."),
}


class UserFacingError(Exception):
    """An error the user can act on: a sentence, and a message per field when fields were at fault.

    Domain code raises a subclass (naming its HTTP status only here, never building a response);
    the API turns it into the one error shape.
    """

    status = 422

    def __init__(self, message=None, fields=None):
        self.message = message
        self.fields = dict(fields or {})
        super().__init__(message)

    def __str__(self):
        # Evaluated when shown, so a lazy message is said in the language of whoever reads it.
        said = self.message or "; ".join(map(str, self.fields.values())) or MESSAGES.get(self.status, MESSAGES[500])
        return str(said)


class Forbidden(UserFacingError):
    """The user does not hold this: a commune, a record, a task of another role."""

    status = 403


class NotFound(UserFacingError):
    """No such thing, or one outside the user's communes (which must not tell a guesser it exists)."""

    status = 404


def error_body(status, message=None, fields=None):
    """The one error shape as a dict."""
    body = {"error": CODES.get(status, "error"), "message": str(message or MESSAGES.get(status, MESSAGES[500]))}
    if fields:
        body["errors"] = {name: str(text) for name, text in fields.items()}
    return body


def json_error(status, message=None, fields=None):
    """A (response, status) pair in the one error shape."""
    return jsonify(error_body(status, message, fields)), status


def user_error_response(error):
    """The JSON answer to a UserFacingError."""
    return json_error(error.status, error.message, error.fields)
