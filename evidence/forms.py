from django import forms


class ExplainForm(forms.Form):
    note = forms.CharField(
        label="说明",
        max_length=500,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "例如：两个社区联合举办，共用现场照片"}
        ),
        error_messages={"required": "请填写说明。", "max_length": "说明不能超过 500 字。"},
    )
