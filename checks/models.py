"""A street's settings of the validation rules (checks/registry.py holds the catalogue).

A street without a row for a rule uses the rule's default; the settings page writes a row
the first time the street admin changes a rule. Every change is kept in the history table
(who, when, what), as the project does for its records.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from communities.models import Street

from .registry import ERROR, WARNING


class Severity(models.TextChoices):
    ERROR_ = ERROR, "错误"
    WARNING_ = WARNING, "提示"


class ValidationRule(models.Model):
    street = models.ForeignKey(
        Street, verbose_name="街道", on_delete=models.CASCADE, related_name="validation_rules"
    )
    code = models.CharField("规则", max_length=40)
    enabled = models.BooleanField("启用", default=True)
    severity = models.CharField("级别", max_length=10, choices=Severity.choices)
    low = models.DecimalField("参数下限", max_digits=12, decimal_places=2, null=True, blank=True)
    high = models.DecimalField("参数上限", max_digits=12, decimal_places=2, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "校验规则"
        verbose_name_plural = "校验规则"
        ordering = ["street", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "code"],
                name="validation_rule_once",
                violation_error_code="validation_rule_once",
                violation_error_message="该街道已有这条规则的设置。",
            ),
            models.CheckConstraint(
                condition=models.Q(low__isnull=True)
                | models.Q(high__isnull=True)
                | models.Q(low__lte=models.F("high")),
                name="validation_rule_low_not_above_high",
                violation_error_code="validation_rule_low_not_above_high",
                violation_error_message="参数下限不能大于上限。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street} · {self.code}"
