"""安全日志: who signed in, exported, downloaded, imported, finalised or changed roles.

Separate from the record history that simple-history keeps. Entries are only ever added:
on PostgreSQL a trigger refuses UPDATE and DELETE (the purge of entries past the retention
period passes it through pgtrigger.ignore), and each entry carries a SHA-256 hash chained to
the previous one (security_log/chain.py), checked by `manage.py verify_security_log`.

Users and streets are stored as plain ids, not foreign keys: deleting a user must neither
touch the log nor be blocked by it. No personal data (names, phones) goes into `details`.
"""

import pgtrigger
from django.db import models


class Event(models.TextChoices):
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账号锁定"
    LOGOUT = "logout", "退出登录"
    SESSION_EXPIRED = "session_expired", "会话超时"
    OTP_VERIFIED = "otp_verified", "双因素验证"
    OTP_ENROLLED = "otp_enrolled", "启用双因素"
    OTP_RESET = "otp_reset", "重置双因素"
    BACKUP_CODES = "backup_codes", "生成备用码"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    ROLE_CHANGED = "role_changed", "角色或范围变更"
    EXPORT = "export", "导出"
    DOWNLOAD = "download", "下载文件或报表"
    IMPORT = "import", "导入"
    FINALISE = "finalise", "定稿"
    UNFINALISE = "unfinalise", "撤销定稿"
    REVEAL = "reveal", "查看完整个人信息"
    ANONYMISE = "anonymise", "匿名化"
    LOG_PURGED = "log_purged", "清理过期日志"
    ACCOUNT_CREATED = "account_created", "创建账号"
    ACCOUNT_DEACTIVATED = "account_deactivated", "停用账号"
    PASSWORD_RESET = "password_reset", "重置密码"


class Result(models.TextChoices):
    OK = "ok", "成功"
    FAILED = "failed", "失败"
    REFUSED = "refused", "拒绝"


class SecurityEvent(models.Model):
    seq = models.BigIntegerField("序号", unique=True)
    created_at = models.DateTimeField("时间", db_index=True)
    event = models.CharField("事件", max_length=32, choices=Event.choices)
    result = models.CharField("结果", max_length=10, choices=Result.choices, default=Result.OK)
    user_id = models.BigIntegerField("用户编号", null=True, blank=True)
    username = models.CharField("账号", max_length=150, blank=True)
    street_id = models.BigIntegerField("街道编号", null=True, blank=True)
    ip = models.CharField("IP 地址", max_length=45, blank=True)
    details = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        verbose_name = "安全日志"
        verbose_name_plural = "安全日志"
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["street_id", "-seq"], name="seclog_street_seq"),
            models.Index(fields=["event", "-seq"], name="seclog_event_seq"),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.get_event_display()} {self.username}"


class ChainHead(models.Model):
    """The one row (pk=1) that says where the chain ends and where it starts after purges.

    Appends lock this row (SELECT … FOR UPDATE), so entries are numbered and chained one at a
    time even from concurrent requests."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    anchor_seq = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "日志链头"
        verbose_name_plural = "日志链头"
        triggers = [pgtrigger.Protect(name="keep_head", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"链头 #{self.last_seq}"
