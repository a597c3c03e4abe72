from django.core.management.base import BaseCommand

from evidence import services, tasks
from evidence.models import FingerprintRun, RunStatus


class Command(BaseCommand):
    help = "为已上传的“五有”影像计算照片指纹并比对（重复使用、拍摄日期）。默认在本进程中执行并显示进度。"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--background",
            action="store_true",
            help="交给后台任务（db_worker）执行，进度见“照片重复使用情况”页面",
        )
        parser.add_argument("--redo", action="store_true", help="已有指纹的照片也重新计算")

    def handle(self, *args, **options) -> None:
        if options["background"]:
            run = tasks.start_backlog(redo=options["redo"])
            self.stdout.write(
                f"已提交后台任务 #{run.pk}：{len(services.backlog(redo=options['redo']))} 张照片。"
            )
            return
        run = FingerprintRun.objects.create(status=RunStatus.RUNNING)

        def progress(r: FingerprintRun) -> None:
            self.stdout.write(f"  {r.progress:3d}%  {r.message}")

        run = services.run_backlog(run, redo=options["redo"], progress=progress)
        style = self.style.SUCCESS if run.status == RunStatus.DONE else self.style.ERROR
        self.stdout.write(style(run.message))
        if run.status != RunStatus.DONE:
            raise SystemExit(1)
