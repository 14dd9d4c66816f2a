import subprocess


class Runner:
    @staticmethod
    def run_code(code):
        exec(code)  # expect: RCE001

    @classmethod
    def run_expr(cls, expr):
        return eval(expr)  # expect: RCE001

    @staticmethod
    def run_shell(cmd):
        subprocess.run(cmd, shell=True)  # expect: RCE006

    @staticmethod
    def run_local(code):
        exec(code)
