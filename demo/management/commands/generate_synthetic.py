import time

from django.core.management.base import BaseCommand, CommandError

from demo import synthetic


class Command(BaseCommand):
    help = "生成可复现的大规模合成数据（街道×社区×年度），用于性能基准和压力测试。"

    def add_arguments(self, parser):
        parser.add_argument("--streets", type=int, default=3, help="街道数")
        parser.add_argument("--communities", type=int, default=10, help="每个街道的社区数")
        parser.add_argument("--years", type=int, default=2, help="年度数")
        parser.add_argument("--first-year", type=int, default=2013, help="第一个年度")
        parser.add_argument(
            "--activities", type=int, default=167, help="每个社区每年的活动数（平均）"
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="随机种子：相同参数和种子生成相同数据"
        )

    def handle(self, *args, **opts):
        if min(opts["streets"], opts["communities"], opts["years"]) < 1:
            raise CommandError("街道数、社区数和年度数都必须至少为 1。")
        size = synthetic.Size(
            streets=opts["streets"],
            communities=opts["communities"],
            years=opts["years"],
            first_year=opts["first_year"],
            activities_per_year=opts["activities"],
        )
        started = time.perf_counter()
        counts = synthetic.generate(
            size, seed=opts["seed"], progress=lambda m: self.stderr.write(m)
        )
        seconds = time.perf_counter() - started
        summary = "，".join(f"{k} {v:,}" for k, v in counts.items()) or "没有新数据（街道都已存在）"
        self.stdout.write(f"生成完成（{seconds:.1f} 秒）：{summary}")
