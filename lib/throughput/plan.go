package throughput

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
)

// Plan is one run of the calculator: which models, by which methods, on how
// many records. `rivulet throughput` and notebook 05 both build theirs with
// ParsePlan from the same flags and measure with Run, so a shell and a
// notebook produce the same rows for the same flags.
type Plan struct {
	// Models are measured in this order.
	Models []Model
	// Methods are applied to each model in this order (nil: Rivulet only).
	Methods []Method
	// N is the number of records trained on; 2N are wanted (see Measure).
	N int
}

// ParsePlan builds a plan from the flags' text: models is a comma-separated
// list of names (Lookup: a seed or extra model, or any registered
// classifier), method is "rivulet", "original" or "both", and each param is
// an extra hyper-parameter "MODEL.name=value" (River's names) for one of the
// listed models. Every model is built once here, so a wrong name or
// parameter is reported now, not in the middle of a measurement.
func ParsePlan(n int, models, method string, params ...string) (Plan, error) {
	if n < 1 {
		return Plan{}, fmt.Errorf("throughput: n = %d: want at least 1 record", n)
	}
	methods, err := ParseMethods(method)
	if err != nil {
		return Plan{}, err
	}
	extra := map[string][]string{}
	for _, p := range params {
		model, kv, ok := strings.Cut(p, ".")
		if !ok || model == "" || !strings.Contains(kv, "=") {
			return Plan{}, fmt.Errorf("throughput: parameter %q: want MODEL.name=value", p)
		}
		extra[model] = append(extra[model], kv)
	}
	var names []string
	for _, name := range strings.Split(models, ",") {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		if slices.Contains(names, name) {
			return Plan{}, fmt.Errorf("throughput: model %q listed twice", name)
		}
		names = append(names, name)
	}
	if len(names) == 0 {
		return Plan{}, fmt.Errorf("throughput: no model to measure in %q; known: %s", models, strings.Join(KnownNames(), ", "))
	}
	plan := Plan{Methods: methods, N: n}
	for _, name := range names {
		spec, err := Lookup(name)
		if err != nil {
			return Plan{}, err
		}
		m, err := spec.Model(extra[name]...)
		if err != nil {
			return Plan{}, fmt.Errorf("throughput: model %s: %w", name, err)
		}
		delete(extra, name)
		plan.Models = append(plan.Models, m)
	}
	if len(extra) > 0 {
		var stray []string
		for model := range extra {
			stray = append(stray, model)
		}
		sort.Strings(stray)
		return Plan{}, fmt.Errorf("throughput: parameters for %s, which is not among the models %s", strings.Join(stray, ", "), strings.Join(names, ","))
	}
	return plan, nil
}

// ParseMethods reads "rivulet", "original", or "both" (rivulet's method,
// then the original's).
func ParseMethods(s string) ([]Method, error) {
	if s == "both" {
		return []Method{Rivulet, Original}, nil
	}
	m, err := ParseMethod(s)
	if err != nil {
		return nil, fmt.Errorf("throughput: method %q: want rivulet, original or both", s)
	}
	return []Method{m}, nil
}

// Run measures each model of the plan by each of its methods on the first
// p.N records of data (Measure) and returns one row per measurement, model
// by model, in the plan's order. opts apply to every measurement; the
// method is the plan's (a WithMethod among opts is overridden). On error
// the rows measured so far are returned with it.
func (p Plan) Run(ctx context.Context, data *Data, opts ...Option) ([]Row, error) {
	if len(p.Models) == 0 {
		return nil, fmt.Errorf("throughput: the plan has no model")
	}
	if data == nil {
		return nil, fmt.Errorf("throughput: no data to measure on")
	}
	methods := p.Methods
	if len(methods) == 0 {
		methods = []Method{Rivulet}
	}
	rows := make([]Row, 0, len(p.Models)*len(methods))
	for _, m := range p.Models {
		for _, meth := range methods {
			res, err := Measure(ctx, m, data, p.N, append(slices.Clip(opts), WithMethod(meth))...)
			if err != nil {
				return rows, fmt.Errorf("%s (%s method): %w", m.Name, meth, err)
			}
			rows = append(rows, res.Row())
		}
	}
	return rows, nil
}

// LoadRiver reads River's result file (benchmarks/river/river_throughput.py,
// `make bench-river`) and keeps the rows measured on n records, the only
// ones comparable with a run on n; leftOut counts the others. A missing file
// gives an error that wraps fs.ErrNotExist.
func LoadRiver(path string, n int) (rows []Row, leftOut int, err error) {
	all, err := LoadRows(path)
	if err != nil {
		return nil, 0, err
	}
	rows = SameN(all, n)
	return rows, len(all) - len(rows), nil
}

// SaveRows writes rows to path as one JSON array (WriteJSON), which
// LoadRows reads back.
func SaveRows(path string, rows []Row) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("throughput: %w", err)
	}
	if err := WriteJSON(f, rows); err != nil {
		f.Close()
		return fmt.Errorf("throughput: %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("throughput: %w", err)
	}
	return nil
}

// LoadAverage returns the 1-, 5- and 15-minute load averages as the kernel
// prints them (Linux), which say how far wall-clock figures can be trusted;
// "unknown" elsewhere.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
