"""Forms of the roster pages; cells typed on screen are read by the same parsers as imported files."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..reference import LANGUAGES, OUTREACH_CHANNELS, ethnic_groups
from .groups import KIND_LABELS
from .spreadsheet import CellError, format_gps, normalise_phone, parse_count, parse_date, parse_gps, parse_years


def choices(pairs):
    """(value, label) pairs as WTForms wants them; SelectChoice where this WTForms has it (3.3+)."""
    try:
        from wtforms.fields.choices import SelectChoice
    except ImportError:
        return [(value, label) for value, label in pairs]
    return [SelectChoice(value, label) for value, label in pairs]


def parsed_by(parse):
    """A validator that accepts what `parse` accepts and shows its Vietnamese message otherwise."""

    def validate(form, field):
        try:
            parse(field.data)
        except CellError as error:
            message = str(error.message)
            raise ValidationError(message[:1].upper() + message[1:]) from None

    return validate


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class GroupForm(FlaskForm):
    name = StringField(
        _l("Tên thôn, bản, tổ dân phố"),
        validators=[
            DataRequired(_l("Hãy nhập tên thôn, tổ dân phố.")),
            Length(max=120, message=_l("Tên dài quá 120 ký tự.")),
        ],
    )
    kind = SelectField(_l("Loại"), choices=choices(KIND_LABELS.items()), validate_choice=True)
    head_name = StringField(
        _l("Trưởng thôn, tổ trưởng"), validators=[Optional(), Length(max=120, message=_l("Tên dài quá 120 ký tự."))]
    )
    head_phone = StringField(
        _l("Số điện thoại"), validators=[parsed_by(normalise_phone)], render_kw={"type": "tel", "inputmode": "tel"}
    )
    households = StringField(_l("Số hộ"), validators=[parsed_by(parse_count)], render_kw={"inputmode": "numeric"})
    population = StringField(_l("Nhân khẩu"), validators=[parsed_by(parse_count)], render_kw={"inputmode": "numeric"})
    ethnic_groups = CheckboxList(_l("Dân tộc chính"), choices=[])
    languages = CheckboxList(_l("Ngôn ngữ dùng khi tuyên truyền"), choices=[])
    cultural_house_name = StringField(_l("Tên nhà văn hóa"), validators=[Optional(), Length(max=160)])
    cultural_house_address = StringField(_l("Địa chỉ nhà văn hóa"), validators=[Optional(), Length(max=240)])
    gps = StringField(
        _l("Tọa độ GPS nhà văn hóa (vĩ độ, kinh độ)"),
        validators=[parsed_by(parse_gps)],
        render_kw={"placeholder": "22.2345, 104.4567", "inputmode": "decimal"},
    )
    papi_years = StringField(
        _l("Năm được chọn khảo sát PAPI"),
        validators=[parsed_by(parse_years)],
        render_kw={"placeholder": "2023", "inputmode": "numeric"},
    )
    notes = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ethnic_groups.choices = choices(ethnic_groups())
        self.languages.choices = choices(LANGUAGES)

    @classmethod
    def from_group(cls, group):
        """The form filled with a group's values as they are written on screen."""
        data = {
            key: group.get(key)
            for key in (
                "name",
                "kind",
                "head_name",
                "head_phone",
                "cultural_house_name",
                "cultural_house_address",
                "notes",
            )
        }
        data["households"] = "" if group.get("households") is None else str(group["households"])
        data["population"] = "" if group.get("population") is None else str(group["population"])
        data["ethnic_groups"] = group["ethnic_groups"]
        data["languages"] = group["languages"]
        data["gps"] = format_gps(group.get("cultural_house_lat"), group.get("cultural_house_lon")) or ""
        data["papi_years"] = ", ".join(str(year) for year in group["papi_years"])
        return cls(data=data)

    def fields(self):
        """The group's fields as stored, from a validated form."""
        lat, lon = parse_gps(self.gps.data) or (None, None)
        return {
            "name": self.name.data,
            "kind": self.kind.data,
            "head_name": self.head_name.data,
            "head_phone": normalise_phone(self.head_phone.data),
            "households": parse_count(self.households.data),
            "population": parse_count(self.population.data),
            "ethnic_groups": self.ethnic_groups.data or [],
            "languages": self.languages.data or [],
            "cultural_house_name": self.cultural_house_name.data,
            "cultural_house_address": self.cultural_house_address.data,
            "cultural_house_lat": lat,
            "cultural_house_lon": lon,
            "papi_years": parse_years(self.papi_years.data),
            "notes": self.notes.data,
        }


SPREADSHEET_TYPES = ["xlsx", "csv"]


class UploadForm(FlaskForm):
    file = FileField(
        _l("Tệp Excel (.xlsx) hoặc CSV"),
        validators=[
            FileRequired(_l("Hãy chọn tệp danh sách.")),
            FileAllowed(SPREADSHEET_TYPES, _l("Chỉ nhận tệp .xlsx hoặc .csv.")),
        ],
        render_kw={"accept": ".xlsx,.csv"},
    )


class ReachedForm(FlaskForm):
    reached_on = StringField(
        _l("Ngày"), validators=[DataRequired(_l("Hãy nhập ngày.")), parsed_by(parse_date)], render_kw={"type": "date"}
    )
    channel = SelectField(_l("Hình thức"), choices=[], validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel.choices = choices(OUTREACH_CHANNELS)
