from django import forms
from django.db.models import QuerySet

from .policy import MANAGED_BY_DISTRICT


class TokenForm(forms.Form):
    token = forms.CharField(
        label="验证码",
        max_length=32,
        help_text="手机验证器上的 6 位数字；手机不在身边时，可输入一个备用验证码。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
        error_messages={"required": "请输入验证码。"},
    )


class SetupForm(forms.Form):
    token = forms.CharField(
        label="验证码",
        max_length=10,
        help_text="扫描二维码后，输入验证器上显示的 6 位数字。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "请输入验证码。"},
    )


class _NewPassword(forms.Form):
    password1 = forms.CharField(
        label="新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请输入新密码。"},
    )
    password2 = forms.CharField(
        label="再次输入新密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请再次输入新密码。"},
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class PasswordResetForm(_NewPassword):
    """A district admin gives a street account a new password."""


class DistrictAccountForm(_NewPassword):
    """A district admin creates an account with a street role on one of its streets."""

    username = forms.CharField(
        label="账号",
        max_length=150,
        error_messages={"required": "请输入账号名。"},
    )
    role = forms.ChoiceField(label="角色", error_messages={"required": "请选择角色。"})
    street = forms.ModelChoiceField(
        label="街道",
        queryset=None,
        error_messages={"required": "请选择街道。", "invalid_choice": "请选择本区县的街道。"},
    )
    community = forms.ModelChoiceField(
        label="社区",
        queryset=None,
        required=False,
        help_text="仅社区管理员需要选择。",
        error_messages={"invalid_choice": "请选择本区县的社区。"},
    )
    field_order = ["username", "role", "street", "community", "password1", "password2"]

    def __init__(self, *args: object, streets: QuerySet, communities: QuerySet, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in MANAGED_BY_DISTRICT]
        self.fields["street"].queryset = streets
        self.fields["community"].queryset = communities
