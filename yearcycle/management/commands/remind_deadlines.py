from django.core.management.base import BaseCommand

from portal.dates import today

from ...notify import remind_deadlines


class Command(BaseCommand):
    help = "向报送截止日前3天内仍未报送的社区管理员发送收件箱提醒（每天运行一次；重复运行不会重复提醒）。"

    def handle(self, *args, **options):
        posted = remind_deadlines(today())
        self.stdout.write(f"已发送{posted}条截止提醒。")
