// Package notebooks_test executes every notebook of this directory headless
// with the GoNB kernel (internal/nbrun) against a Kafka broker, and checks
// that the notebooks are committed clean.
//
// It needs the environment from `make setup` (.venv, .bin, .jupyter) and
// skips with a message without it. Brokers come from RIVULET_BROKERS; when
// that is unset the test starts an embedded broker with an empty data
// directory. Executed copies and HTML go to out/notebooks-test/.
//
//	go test -count=1 -v -timeout 40m ./notebooks/
//	go test -count=1 -v -run 'TestNotebooks/00' ./notebooks/   # one notebook
package notebooks_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rivulet-ml/rivulet/internal/nbrun"
	"github.com/rivulet-ml/rivulet/lib/broker"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

func notebooks(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob("*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatal("no notebooks in notebooks/")
	}
	sort.Strings(paths)
	return paths
}

// TestCommittedClean keeps outputs, execution counts and foreign kernels out
// of the repository, and makes every notebook start with nbrun.SetupCell.
func TestCommittedClean(t *testing.T) {
	for _, path := range notebooks(t) {
		nb, err := nbrun.ReadNotebook(path)
		if err != nil {
			t.Error(err)
			continue
		}
		if err := nbrun.CheckCommitted(nb, true); err != nil {
			t.Errorf("%v\n(clear them in JupyterLab with Edit > Clear Outputs of All Cells, then save)", err)
		}
	}
}

func TestNotebooks(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: executing the notebooks takes minutes; run without -short")
	}
	root, err := nbrun.FindRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-30*time.Second))
		defer cancel()
	}

	brokers := os.Getenv(stream.BrokersEnv)
	if brokers == "" {
		b, err := broker.Start(ctx, broker.WithAddr("127.0.0.1:0"), broker.WithDataDir(t.TempDir()))
		if err != nil {
			t.Fatalf("starting the embedded broker: %v", err)
		}
		t.Cleanup(func() { b.Close() })
		brokers = b.Addr()
		t.Logf("embedded broker on %s (set %s to use another)", brokers, stream.BrokersEnv)
	} else {
		t.Logf("brokers from %s: %s", stream.BrokersEnv, brokers)
	}

	// Notebooks may call the CLI (`!rivulet ...`): put a fresh build first
	// on the kernel's PATH.
	binDir := t.TempDir()
	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(binDir, "rivulet"), "./cmd/rivulet")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/rivulet: %v\n%s", err, out)
	}

	r, err := nbrun.New(nbrun.WithRoot(root), nbrun.WithOutDir(filepath.Join(root, "out", "notebooks-test")),
		nbrun.WithEnv(stream.BrokersEnv+"="+brokers), nbrun.WithPathDirs(binDir))
	if errors.Is(err, nbrun.ErrNotSetUp) {
		t.Skipf("SKIP: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := r.Prewarm(ctx); err != nil {
		// Not fatal: the failing notebook cell will say what does not build.
		t.Logf("warning: %v", err)
	}
	t.Logf("prewarmed the Go build cache in %.1f s", time.Since(start).Seconds())

	// In name order, one at a time: a consumer notebook reads what the
	// producer notebook before it wrote to the shared broker.
	for _, path := range notebooks(t) {
		name := strings.TrimSuffix(path, ".ipynb")
		t.Run(name, func(t *testing.T) {
			res, err := r.Run(ctx, path)
			if err != nil {
				t.Fatalf("%v\nHTML: %s", err, res.HTML)
			}
			t.Logf("%.1f s, HTML: %s", res.Elapsed.Seconds(), res.HTML)
		})
	}
}
