package nbrun

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rivulet-ml/rivulet/internal/syncio"
)

//go:embed execute.py
var executePy string

// DefaultCellTimeout bounds one cell. Cells that compile gonum/plot on a cold
// Go build cache take about a minute on two cores; a learner cell may stream
// for a few minutes.
const DefaultCellTimeout = 10 * time.Minute

// ErrNotSetUp reports that the environment from `make setup` is missing.
// Match it with errors.Is.
var ErrNotSetUp = errors.New("notebook environment not set up (run `make setup`)")

// Runner executes notebooks headless with the GoNB kernel installed by
// environment/setup.sh. A Runner is safe for concurrent use.
type Runner struct {
	root        string
	outDir      string
	cellTimeout time.Duration
	env         []string
	pathDirs    []string
	log         io.Writer
	verbose     bool
	parallel    int
	kernel      string
}

// Option configures a Runner.
type Option func(*Runner)

// WithRoot sets the checkout root holding .venv, .bin and .jupyter. The
// default is found by walking up from the working directory (FindRoot).
func WithRoot(dir string) Option { return func(r *Runner) { r.root = dir } }

// WithOutDir sets where executed notebooks and their HTML go (default
// <root>/out/notebooks).
func WithOutDir(dir string) Option { return func(r *Runner) { r.outDir = dir } }

// WithCellTimeout bounds every cell (default DefaultCellTimeout).
func WithCellTimeout(d time.Duration) Option { return func(r *Runner) { r.cellTimeout = d } }

// WithEnv adds "KEY=value" entries to the kernel's environment, for example
// RIVULET_BROKERS. They override the caller's environment.
func WithEnv(kv ...string) Option { return func(r *Runner) { r.env = append(r.env, kv...) } }

// WithPathDirs puts dirs on the kernel's PATH, before .bin and the caller's
// PATH, for example a directory holding a freshly built rivulet binary.
func WithPathDirs(dirs ...string) Option {
	return func(r *Runner) { r.pathDirs = append(r.pathDirs, dirs...) }
}

// WithLog receives one line per notebook (default: discarded).
func WithLog(w io.Writer) Option { return func(r *Runner) { r.log = w } }

// WithVerbose also copies the kernel's and Jupyter's own stderr to the log.
// Without it that stderr is shown only when a notebook fails.
func WithVerbose(v bool) Option { return func(r *Runner) { r.verbose = v } }

// WithParallel runs up to n notebooks at a time in RunAll (default 1).
// Notebooks that share a broker and depend on each other's topics (a
// producer notebook and its consumer) need 1.
func WithParallel(n int) Option { return func(r *Runner) { r.parallel = max(1, n) } }

// WithKernel names the kernelspec (default "gonb").
func WithKernel(name string) Option { return func(r *Runner) { r.kernel = name } }

// New returns a Runner. It fails with an error wrapping ErrNotSetUp if the
// venv, gonb or the kernelspec is missing.
func New(opts ...Option) (*Runner, error) {
	r := &Runner{cellTimeout: DefaultCellTimeout, log: io.Discard, parallel: 1, kernel: "gonb"}
	for _, o := range opts {
		o(r)
	}
	if r.root == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		if r.root, err = FindRoot(wd); err != nil {
			return nil, err
		}
	}
	root, err := filepath.Abs(r.root)
	if err != nil {
		return nil, err
	}
	r.root = root
	if r.outDir == "" {
		r.outDir = filepath.Join(root, "out", "notebooks")
	}
	if r.outDir, err = filepath.Abs(r.outDir); err != nil {
		return nil, err
	}
	var missing []string
	for _, p := range []string{r.python(), filepath.Join(root, ".bin", "gonb"), filepath.Join(root, ".bin", "goimports"),
		filepath.Join(r.jupyterDataDir(), "kernels", r.kernel, "kernel.json")} {
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: missing %s", ErrNotSetUp, strings.Join(missing, ", "))
	}
	// GoNB runs `go build` for every cell.
	if _, err := exec.LookPath("go"); err != nil {
		return nil, fmt.Errorf("nbrun: the GoNB kernel needs go on PATH: %w", err)
	}
	r.log = &syncio.Writer{W: r.log}
	return r, nil
}

// FindRoot walks up from dir to the checkout root: the first directory
// holding both go.mod and environment/setup.sh.
func FindRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if isFile(filepath.Join(d, "go.mod")) && isFile(filepath.Join(d, "environment", "setup.sh")) {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("nbrun: no rivulet checkout (go.mod + environment/setup.sh) above %s", dir)
		}
	}
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// Root returns the checkout root.
func (r *Runner) Root() string { return r.root }

// OutDir returns where executed notebooks and HTML are written.
func (r *Runner) OutDir() string { return r.outDir }

func (r *Runner) python() string { return filepath.Join(r.root, ".venv", "bin", "python") }

func (r *Runner) jupyterDataDir() string { return filepath.Join(r.root, ".jupyter") }

// Env returns the environment the kernel runs with: the caller's, with the
// WithPathDirs directories and .bin first on PATH, Jupyter confined to the
// checkout, and the WithEnv entries last (so they win).
func (r *Runner) Env() []string {
	path := strings.Join(append(append([]string(nil), r.pathDirs...), filepath.Join(r.root, ".bin")), string(os.PathListSeparator))
	if p := os.Getenv("PATH"); p != "" {
		path += string(os.PathListSeparator) + p
	}
	jd := r.jupyterDataDir()
	env := append(os.Environ(),
		"PATH="+path,
		"JUPYTER_DATA_DIR="+jd,
		"JUPYTER_CONFIG_DIR="+filepath.Join(jd, "config"),
		"JUPYTER_RUNTIME_DIR="+filepath.Join(jd, "runtime"),
		"JUPYTER_PLATFORM_DIRS=1", // silences jupyter_core's migration warning
		"PYTHONNOUSERSITE=1",
	)
	return append(env, r.env...)
}

// Result describes one executed notebook.
type Result struct {
	Notebook string        // path as given
	Executed string        // executed copy (.ipynb) with outputs
	HTML     string        // executed copy rendered as HTML
	Elapsed  time.Duration // wall time including kernel start
	Err      error         // nil, a *CellError, or another failure
}

// driverReport is the JSON line execute.py prints last.
type driverReport struct {
	OK      bool   `json:"ok"`
	Cell    int    `json:"cell"`
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// Run executes one notebook and writes <out>/<name>.ipynb and .html, also
// when a cell fails (then with the outputs up to the failure). The error is
// a *CellError when a cell failed.
func (r *Runner) Run(ctx context.Context, notebook string) (*Result, error) {
	start := time.Now()
	res, err := r.run(ctx, notebook)
	res.Elapsed = time.Since(start)
	res.Err = err
	return res, err
}

func (r *Runner) run(ctx context.Context, notebook string) (*Result, error) {
	name := strings.TrimSuffix(filepath.Base(notebook), ".ipynb")
	res := &Result{
		Notebook: notebook,
		Executed: filepath.Join(r.outDir, name+".ipynb"),
		HTML:     filepath.Join(r.outDir, name+".html"),
	}
	src, err := filepath.Abs(notebook)
	if err != nil {
		return res, err
	}
	if _, err := ReadNotebook(src); err != nil {
		return res, err
	}
	if err := os.MkdirAll(r.outDir, 0o755); err != nil {
		return res, err
	}
	// Stale copies from an earlier run must not pass for this run's output.
	_ = os.Remove(res.Executed)
	_ = os.Remove(res.HTML)

	secs := int((r.cellTimeout + time.Second - 1) / time.Second)
	cmd := exec.CommandContext(ctx, r.python(), "-c", executePy,
		src, res.Executed, res.HTML, strconv.Itoa(secs), r.kernel)
	cmd.Dir = filepath.Dir(src)
	cmd.Env = r.Env()
	// Let nbclient shut the kernel down itself on cancellation.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	if r.verbose {
		cmd.Stderr = io.MultiWriter(&stderr, r.log)
	} else {
		cmd.Stderr = &stderr
	}
	runErr := cmd.Run()
	if ctx.Err() != nil {
		return res, fmt.Errorf("%s: %w", notebook, ctx.Err())
	}

	var rep driverReport
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if jerr := json.Unmarshal([]byte(lines[len(lines)-1]), &rep); jerr != nil || runErr != nil {
		return res, fmt.Errorf("%s: the Jupyter driver failed (%v):\n%s", notebook,
			errors.Join(runErr, jerr), indent(tail(stderr.String()+stdout.String(), maxDetail)))
	}

	executed, err := ReadNotebook(res.Executed)
	if err != nil {
		return res, fmt.Errorf("%s: reading the executed copy: %w", notebook, err)
	}
	executed.Path = notebook
	found := FirstFailure(executed)
	if !rep.OK && (rep.Kind == "timeout" || rep.Kind == "kernel") {
		// What the outputs cannot show: a timeout or a dead kernel. The
		// interrupted cell may also hold an error output ("signal:
		// interrupt"), a consequence that must not hide the cause.
		ce := &CellError{Notebook: notebook, Cell: rep.Cell, Kind: KindTimeout, Detail: rep.Message, Executed: res.Executed}
		if rep.Kind == "kernel" {
			ce.Kind = KindKernel
			ce.Detail += "\n" + tail(stderr.String(), maxDetail/2)
		}
		if rep.Cell >= 0 && rep.Cell < len(executed.Cells) {
			ce.FirstLine = executed.Cells[rep.Cell].FirstLine()
			ce.CellID = executed.Cells[rep.Cell].ID
		}
		if found != nil && found.Cell == rep.Cell {
			ce.Detail += "\n" + found.Detail
		}
		return res, ce
	}
	if found != nil {
		found.Executed = res.Executed
		return res, found
	}
	if !rep.OK {
		// nbclient raised on a cell whose outputs show nothing wrong.
		return res, &CellError{Notebook: notebook, Cell: rep.Cell, Kind: KindError, Detail: rep.Message, Executed: res.Executed}
	}
	return res, nil
}

// RunAll runs the notebooks in order (WithParallel at a time), logs one
// line per notebook and returns every result. The error joins the failures.
func (r *Runner) RunAll(ctx context.Context, notebooks []string) ([]*Result, error) {
	results := make([]*Result, len(notebooks))
	sem := make(chan struct{}, r.parallel)
	var wg sync.WaitGroup
	logw := r.log
	for i, nb := range notebooks {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			fmt.Fprintf(logw, "nbrun: %s ...\n", nb)
			res, err := r.Run(ctx, nb)
			results[i] = res
			if err != nil {
				fmt.Fprintf(logw, "nbrun: FAIL %s (%.1f s)\n%s\n", nb, res.Elapsed.Seconds(), indent(err.Error()))
			} else {
				fmt.Fprintf(logw, "nbrun: ok   %s (%.1f s) -> %s\n", nb, res.Elapsed.Seconds(), res.HTML)
			}
		}()
	}
	wg.Wait()
	var errs []error
	for _, res := range results {
		if res.Err != nil {
			errs = append(errs, res.Err)
		}
	}
	return results, errors.Join(errs...)
}

// Prewarm builds every package of the module with `go build ./...`, so that
// notebook cells, which compile against the same packages, find them in the
// Go build cache instead of compiling gonum/plot and friends in a cell.
func (r *Runner) Prewarm(ctx context.Context) error {
	cmd := exec.CommandContext(ctx, "go", "build", "./...")
	cmd.Dir = r.root
	cmd.Env = r.Env()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("prewarm: go build ./... in %s: %v\n%s", r.root, err, indent(tail(string(out), maxDetail)))
	}
	return nil
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}
