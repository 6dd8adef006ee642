"""The gap analysis import's two forms: the upload, and the confirmation of a preview."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import DataRequired

from app.domain.text import _l


class UploadForm(FlaskForm):
    file = FileField(
        _l("Gap analysis workbook (.xlsx)"),
        validators=[FileRequired(_l("Choose the .xlsx file exported from this gap analysis."))],
        description=_l(
            "The file you exported here and filled in; its rows' verdicts, owners, due dates, notes "
            "and justifications are read. Nothing is saved until you confirm the preview."
        ),
        render_kw={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    )


class ConfirmForm(FlaskForm):
    token = HiddenField(
        validators=[DataRequired()]
    )  # names the uploaded file, kept for this user and project
    digest = HiddenField(
        validators=[DataRequired()]
    )  # the preview's outcome: confirming applies that or nothing
