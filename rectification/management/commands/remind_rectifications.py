from django.core.management.base import BaseCommand

from portal.dates import today

from ...notify import overdue


class Command(BaseCommand):
    help = (
        "向逾期未整改（待整改或已退回且已过整改期限）任务的社区干部和街道审核人员发送收件箱提醒"
        "（每天运行一次；每项任务只提醒一次，重复运行不会重复提醒）。"
    )

    def handle(self, *args, **options):
        posted = overdue(today())
        self.stdout.write(f"已发送{posted}条整改逾期提醒。")
