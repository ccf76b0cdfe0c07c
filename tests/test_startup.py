"""What a command pays before its work: WeasyPrint's import without the library search that
starts processes, and its fallback where the libraries load under other names."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT

_COUNT_PROCESSES = """
import subprocess, sys
started = []
real = subprocess.Popen.__init__
def counted(self, *args, **kwargs):
    started.append(args[0] if args else kwargs.get("args"))
    real(self, *args, **kwargs)
subprocess.Popen.__init__ = counted
"""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, cwd=ROOT, check=False)


def test_the_pdf_renderer_loads_weasyprint_without_starting_a_process() -> None:
    run = _run(_COUNT_PROCESSES + """
import quizgen.render.pdf
from weasyprint import HTML
assert HTML(string="<p>x</p>").write_pdf().startswith(b"%PDF")
print(len(started), started[:3])
""")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[0] == "0", run.stdout  # ldconfig, gcc, ld: 54 before


def test_weasyprint_is_imported_again_with_the_search_when_the_quick_way_fails() -> None:
    """A system whose libraries load under other names than WeasyPrint's Linux ones: the first
    import fails (simulated), its advice is not printed, and the second import works."""
    run = _run("""
import sys
class FailOnce:
    failed = False
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint.text.ffi" and not FailOnce.failed:
            FailOnce.failed = True
            print("WeasyPrint could not import some external libraries.")  # as WeasyPrint says
            raise OSError("cannot load library 'libgobject-2.0-0'")
        return None
sys.meta_path.insert(0, FailOnce())
import quizgen.render.pdf
from weasyprint import HTML
assert FailOnce.failed
assert HTML(string="<p>x</p>").write_pdf().startswith(b"%PDF")
print("rendered")
""")
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["rendered"], run.stdout
