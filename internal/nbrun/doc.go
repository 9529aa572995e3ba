// Package nbrun executes rivulet's Jupyter notebooks headless with the real
// GoNB kernel, as CI and `make run` do, and says precisely what failed.
//
// A Runner drives the pinned Jupyter in .venv (nbclient, the engine behind
// `jupyter nbconvert --execute`) with the kernelspec that environment/setup.sh
// registered in .jupyter, .bin (gonb, goimports) first on PATH. For every
// notebook it writes the executed copy and its HTML rendering to the output
// directory, also when a cell fails, so the failure can be looked at.
//
// A notebook fails when a cell produces an error output (compile error,
// panic, failed %test), when a shell line (`!cmd`, `!*cmd`) exits non-zero —
// GoNB reports that only as an "exit status N" line on stderr, which
// Jupyter does not treat as an error — when a cell exceeds its timeout, or
// when the kernel dies. The error is a *CellError naming the notebook, the
// cell's index and first source line, and the error text or stderr.
//
// CheckCommitted enforces the repository conventions for notebooks: no
// outputs or execution counts are committed, cells have ids, the kernel is
// gonb, and the first code cell is SetupCell, which points GoNB at this
// checkout's module through a go.work with automatic `go get` turned off.
package nbrun
