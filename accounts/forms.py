from django import forms


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
