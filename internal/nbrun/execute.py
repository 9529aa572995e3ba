"""Executes one notebook with nbclient and writes the executed copy and HTML.

Usage: python execute.py SRC.ipynb OUT.ipynb OUT.html CELL_TIMEOUT_SECONDS KERNEL

This is what `jupyter nbconvert --to notebook --execute` does (nbconvert's
ExecutePreprocessor is nbclient), with three differences that the Go runner
(package nbrun) needs:
  * the executed copy and its HTML are written even when a cell fails, so a
    failure can be inspected in out/;
  * the index of the failing cell is reported exactly (nbconvert only prints
    the cell's source);
  * execution stops at the first shell command that failed: GoNB reports a
    failing `!cmd` only as an "exit status N" line on stderr, not as an error.

The last line on stdout is a JSON object:
  {"ok": true} or {"ok": false, "cell": N, "kind": "...", "message": "..."}
where kind is "shell" (stopped after a failed shell command), "timeout",
"error" (a cell raised an error output) or "kernel" (the kernel died or
could not start; cell is -1 if no cell had started).
The Go side re-reads OUT.ipynb and decides from the outputs themselves; this
summary covers what the outputs cannot show (timeouts, dead kernels).
"""

import json
import os
import re
import sys

# jsonschema (via nbformat) imports rfc3987_syntax when it is installed (it
# comes with JupyterLab) only to check "iri" formats, which notebooks never
# use; building its grammar costs ~4 s per start. Make the import fail.
sys.modules["rfc3987_syntax"] = None

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter

# Must match shellFailure in nbrun.go.
SHELL_FAILURE = re.compile(r"^exit status \d+$", re.MULTILINE)


class ShellFailed(Exception):
    pass


def main():
    src, out_ipynb, out_html, timeout, kernel = sys.argv[1:6]
    nb = nbformat.read(src, as_version=4)
    current = {"cell": -1}

    def on_cell_start(cell, cell_index):
        current["cell"] = cell_index

    def on_cell_executed(cell, cell_index, execute_reply):
        # An error output (compile error, panic) is nbclient's to raise; its
        # stderr also ends in "exit status N", from the Go program.
        outputs = cell.get("outputs", [])
        if any(out.get("output_type") == "error" for out in outputs):
            return
        for out in outputs:
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                if SHELL_FAILURE.search(out.get("text", "")):
                    raise ShellFailed("a shell command failed")

    client = NotebookClient(
        nb,
        timeout=int(timeout),
        kernel_name=kernel,
        # The kernel's working directory, and so GoNB's $GONB_DIR.
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell_executed,
    )
    result = {"ok": True}
    try:
        client.execute()
    except ShellFailed as e:
        result = {"ok": False, "cell": current["cell"], "kind": "shell", "message": str(e)}
    except CellTimeoutError as e:
        result = {"ok": False, "cell": current["cell"], "kind": "timeout",
                  "message": "cell did not finish within %s s" % timeout}
    except CellExecutionError as e:
        result = {"ok": False, "cell": current["cell"], "kind": "error", "message": str(e)}
    except DeadKernelError as e:
        result = {"ok": False, "cell": current["cell"], "kind": "kernel", "message": "kernel died: %s" % e}
    except Exception as e:  # kernel start-up problems, missing kernelspec, ...
        result = {"ok": False, "cell": current["cell"], "kind": "kernel",
                  "message": "%s: %s" % (type(e).__name__, e)}

    nbformat.write(nb, out_ipynb)
    body, _ = HTMLExporter().from_notebook_node(nb)
    with open(out_html, "w", encoding="utf-8") as f:
        f.write(body)
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
