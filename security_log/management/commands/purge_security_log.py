from django.core.management.base import BaseCommand, CommandError

from security_log.services import purge, retention_days


class Command(BaseCommand):
    help = (
        "删除超过保存期限（SECURITY_LOG_RETENTION_DAYS，默认 180 天）的安全日志，并记录本次清理。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="保存天数（默认取设置，不少于 180）"
        )

    def handle(self, *args, days=None, **options):
        try:
            removed = purge(days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        kept = retention_days() if days is None else days
        self.stdout.write(f"已删除 {removed} 条超过 {kept} 天的安全日志，清理本身已记入日志。")
