from django.core.management.base import BaseCommand, CommandError

from security_log.models import SecurityEvent
from security_log.services import verify


class Command(BaseCommand):
    help = "检查安全日志的哈希链：发现被修改、删除或调换的记录时以非零状态退出。"

    def handle(self, *args, **options):
        problems = verify()
        if problems:
            for p in problems[:100]:
                self.stderr.write(str(p))
            raise CommandError(f"安全日志校验失败：发现 {len(problems)} 处问题。")
        count = SecurityEvent.objects.count()
        self.stdout.write(f"安全日志完整：{count} 条记录的哈希链校验通过。")
