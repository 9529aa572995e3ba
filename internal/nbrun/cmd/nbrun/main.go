// Command nbrun executes notebooks headless with the GoNB kernel and writes
// the executed copies and their HTML, for `make run`:
//
//	nbrun [-out DIR] [-timeout 10m] [-parallel 1] [-v] [notebook.ipynb ...]
//
// Without arguments it runs every notebooks/*.ipynb of the checkout in name
// order. The kernel inherits the environment, so RIVULET_BROKERS reaches the
// notebooks. It exits 1 if any notebook failed, naming the cell and why.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	"github.com/rivulet-ml/rivulet/internal/nbrun"
)

func main() {
	os.Exit(run())
}

func run() int {
	out := flag.String("out", "", "output directory (default <checkout>/out/notebooks)")
	timeout := flag.Duration("timeout", nbrun.DefaultCellTimeout, "time limit per cell")
	parallel := flag.Int("parallel", 1, "notebooks run at a time; producer/consumer notebook pairs need 1")
	verbose := flag.Bool("v", false, "show the kernel's own log lines")
	prewarm := flag.Bool("prewarm", true, "go build ./... first so cells hit the Go build cache")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: nbrun [flags] [notebook.ipynb ...]")
		flag.PrintDefaults()
	}
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	r, err := nbrun.New(nbrun.WithOutDir(*out), nbrun.WithCellTimeout(*timeout), nbrun.WithParallel(*parallel),
		nbrun.WithVerbose(*verbose), nbrun.WithLog(os.Stderr))
	if err != nil {
		fmt.Fprintln(os.Stderr, "nbrun:", err)
		return 1
	}
	notebooks := flag.Args()
	if len(notebooks) == 0 {
		notebooks, _ = filepath.Glob(filepath.Join(r.Root(), "notebooks", "*.ipynb"))
		sort.Strings(notebooks)
		if len(notebooks) == 0 {
			fmt.Fprintln(os.Stderr, "nbrun: no notebooks/*.ipynb")
			return 1
		}
	}
	if *prewarm {
		start := time.Now()
		fmt.Fprintln(os.Stderr, "nbrun: prewarming the Go build cache (go build ./...)")
		if err := r.Prewarm(ctx); err != nil {
			// Not fatal: the notebooks say precisely what does not build.
			fmt.Fprintln(os.Stderr, "nbrun: warning:", err)
		} else {
			fmt.Fprintf(os.Stderr, "nbrun: prewarmed in %.1f s\n", time.Since(start).Seconds())
		}
	}
	results, err := r.RunAll(ctx, notebooks)
	failed := 0
	fmt.Fprintln(os.Stderr, "\nnbrun summary:")
	for _, res := range results {
		status := "ok  "
		if res.Err != nil {
			status = "FAIL"
			failed++
		}
		fmt.Fprintf(os.Stderr, "  %s %-40s %6.1f s  %s\n", status, filepath.Base(res.Notebook), res.Elapsed.Seconds(), res.HTML)
	}
	fmt.Fprintf(os.Stderr, "%d notebooks, %d passed, %d failed; HTML in %s\n",
		len(results), len(results)-failed, failed, r.OutDir())
	if err != nil {
		return 1 // each failure was reported above as it happened
	}
	return 0
}
