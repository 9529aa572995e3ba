package throughput

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Row is one model's measurement as JSON: the objects `rivulet throughput
// --json` prints and benchmarks/river/river_throughput.py writes for River,
// with the same keys, so one reader handles both.
type Row struct {
	Model          string `json:"model"`
	Classifier     string `json:"classifier"`
	Implementation string `json:"implementation"` // "rivulet", "river", or ImplementationSeed
	Method         string `json:"method"`         // "rivulet" or "original"
	Spec           string `json:"spec,omitempty"`
	N              int    `json:"n"`
	HeldOut        bool   `json:"held_out"`

	TrainMsPerRecord   float64 `json:"train_ms_per_record"`
	PredictMsPerRecord float64 `json:"predict_ms_per_record"`
	TotalMsPerRecord   float64 `json:"total_ms_per_record"`
	// Thread CPU time per record: robust to other processes' load.
	TrainCPUMsPerRecord   float64 `json:"train_cpu_ms_per_record"`
	PredictCPUMsPerRecord float64 `json:"predict_cpu_ms_per_record"`
	TotalCPUMsPerRecord   float64 `json:"total_cpu_ms_per_record"`

	TrainP50Ms   float64 `json:"train_p50_ms"`
	TrainP99Ms   float64 `json:"train_p99_ms"`
	TrainMaxMs   float64 `json:"train_max_ms"`
	PredictP50Ms float64 `json:"predict_p50_ms"`
	PredictP99Ms float64 `json:"predict_p99_ms"`
	PredictMaxMs float64 `json:"predict_max_ms"`
	TotalP50Ms   float64 `json:"total_p50_ms"`
	TotalP99Ms   float64 `json:"total_p99_ms"`
	TotalMaxMs   float64 `json:"total_max_ms"`

	// Records per second of one thread: round(1000 / ms per record).
	MaxTrainThroughput   int64 `json:"max_train_throughput"`
	MaxPredictThroughput int64 `json:"max_predict_throughput"`
	MaxTotalThroughput   int64 `json:"max_total_throughput"`

	// Records per second of Consumers models at once (0: not measured).
	Consumers                    int     `json:"consumers"`
	MaxTrainThroughputAllCores   float64 `json:"max_train_throughput_all_cores"`
	MaxPredictThroughputAllCores float64 `json:"max_predict_throughput_all_cores"`
	MaxTotalThroughputAllCores   float64 `json:"max_total_throughput_all_cores"`

	MemoryBytes int64   `json:"memory_bytes"`
	Accuracy    float64 `json:"accuracy"`
	Warmup      int     `json:"warmup"`
	Repetitions int     `json:"repetitions"`

	// Environment of the run.
	GoVersion    string `json:"go_version,omitempty"`
	RiverVersion string `json:"river_version,omitempty"`
	Python       string `json:"python,omitempty"`
	Machine      string `json:"machine,omitempty"`
}

// ImplementationSeed marks the reference rows copied from the seed's README.
const ImplementationSeed = "river (seed README)"

// Row converts a Result.
func (r *Result) Row() Row {
	return Row{
		Model: r.Model, Classifier: r.Classifier, Implementation: "rivulet", Method: r.Method.String(),
		Spec: r.Spec, N: r.N, HeldOut: r.HeldOut,
		TrainMsPerRecord: r.Train.MsPerRecord(), PredictMsPerRecord: r.Predict.MsPerRecord(), TotalMsPerRecord: r.Total.MsPerRecord(),
		TrainCPUMsPerRecord: ms(r.Train.CPU), PredictCPUMsPerRecord: ms(r.Predict.CPU), TotalCPUMsPerRecord: ms(r.Total.CPU),
		TrainP50Ms: ms(r.Train.P50), TrainP99Ms: ms(r.Train.P99), TrainMaxMs: ms(r.Train.Max),
		PredictP50Ms: ms(r.Predict.P50), PredictP99Ms: ms(r.Predict.P99), PredictMaxMs: ms(r.Predict.Max),
		TotalP50Ms: ms(r.Total.P50), TotalP99Ms: ms(r.Total.P99), TotalMaxMs: ms(r.Total.Max),
		MaxTrainThroughput: r.Train.Throughput(), MaxPredictThroughput: r.Predict.Throughput(), MaxTotalThroughput: r.Total.Throughput(),
		Consumers:                  r.Consumers,
		MaxTrainThroughputAllCores: r.Train.AllCores, MaxPredictThroughputAllCores: r.Predict.AllCores, MaxTotalThroughputAllCores: r.Total.AllCores,
		MemoryBytes: r.MemoryBytes, Accuracy: r.Accuracy,
		Warmup: r.Warmup, Repetitions: r.Repetitions,
		GoVersion: runtime.Version(), Machine: runtime.GOARCH,
	}
}

// Rows converts results.
func Rows(results []*Result) []Row {
	out := make([]Row, len(results))
	for i, r := range results {
		out[i] = r.Row()
	}
	return out
}

// seedRow is a row of the seed README's tables (the run stored at commit
// 9437fb8, 2023-03-25, River 0.12–0.14 on Domino): ms per record and the
// throughput column, as published.
func seedRow(model, classifier string, train, predict, total float64, trainThr, predictThr, totalThr int64) Row {
	return Row{Model: model, Classifier: classifier, Implementation: ImplementationSeed, Method: "original", N: 1000,
		TrainMsPerRecord: train, PredictMsPerRecord: predict, TotalMsPerRecord: total,
		MaxTrainThroughput: trainThr, MaxPredictThroughput: predictThr, MaxTotalThroughput: totalThr}
}

// SeedREADME returns the River figures the seed published in its README, as
// reference rows (no percentiles, memory or accuracy were published).
func SeedREADME() []Row {
	return []Row{
		seedRow("hat", "HoeffdingAdaptiveTreeClassifier", 1.82165, 0.568018, 2.38967, 549, 1761, 418),
		seedRow("srp-hat", "SRPClassifierHAT", 28.2629, 1.21962, 29.4825, 35, 820, 34),
		seedRow("srp-nb", "SRPClassifierNaiveBayes", 4.40596, 1.16247, 5.56843, 227, 860, 180),
		seedRow("arf", "AdaptiveRandomForestClassifier", 0.953638, 0.199434, 1.15307, 1049, 5014, 867),
	}
}

// ReadRows decodes a JSON array of rows (a River result file, or the
// output of `rivulet throughput --json`).
func ReadRows(r io.Reader, name string) ([]Row, error) {
	var rows []Row
	dec := json.NewDecoder(r)
	if err := dec.Decode(&rows); err != nil {
		if se, ok := err.(*json.SyntaxError); ok {
			return nil, fmt.Errorf("throughput: %s: offset %d: %w", name, se.Offset, err)
		}
		return nil, fmt.Errorf("throughput: %s: %w", name, err)
	}
	for i, row := range rows {
		if row.Model == "" {
			return nil, fmt.Errorf("throughput: %s: row %d has no model", name, i)
		}
	}
	return rows, nil
}

// LoadRows reads a result file written by ReadRows's producers.
func LoadRows(path string) ([]Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("throughput: %w", err)
	}
	defer f.Close()
	return ReadRows(f, path)
}

// WriteJSON writes rows as one indented JSON array.
func WriteJSON(w io.Writer, rows []Row) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}

// Phase selects one of the three tables.
type Phase int

const (
	Training Phase = iota
	Inference
	Together
)

// Phases are the three tables in the original's order.
var Phases = []Phase{Training, Inference, Together}

// Title is the original's heading of the table.
func (p Phase) Title() string {
	switch p {
	case Inference:
		return "Maximum sustainable throughput for inference"
	case Together:
		return "Maximum sustainable throughput for training and inference together"
	}
	return "Maximum sustainable throughput for training"
}

func (p Phase) String() string {
	switch p {
	case Inference:
		return "inference"
	case Together:
		return "training+inference"
	}
	return "training"
}

// The original's column names, kept verbatim.
const (
	ColClassifier     = "Classifier"
	ColMsPerRecord    = "Expected Time(ms) Per Record"
	ColMillionSeconds = "Expected Time Million Records (s)"
	ColMillionMinutes = "Expected Time Million Records (mins)"
	ColThroughput     = "Max Throughput (records/s, one thread)"
)

// Columns added by rivulet.
const (
	ColSource   = "Source"
	ColCPU      = "CPU time(ms) Per Record"
	ColP99      = "p99 (ms)"
	ColAllCores = "Max Throughput (records/s, one model per core)"
	ColMemory   = "Memory (bytes)"
	ColAccuracy = "Accuracy (%)"
)

// phaseValues picks the phase's numbers from a row.
func (r Row) phaseValues(p Phase) (msPerRecord, cpu, p99 float64, thr int64, allCores float64) {
	switch p {
	case Inference:
		return r.PredictMsPerRecord, r.PredictCPUMsPerRecord, r.PredictP99Ms, r.MaxPredictThroughput, r.MaxPredictThroughputAllCores
	case Together:
		return r.TotalMsPerRecord, r.TotalCPUMsPerRecord, r.TotalP99Ms, r.MaxTotalThroughput, r.MaxTotalThroughputAllCores
	}
	return r.TrainMsPerRecord, r.TrainCPUMsPerRecord, r.TrainP99Ms, r.MaxTrainThroughput, r.MaxTrainThroughputAllCores
}

// Throughput returns the row's one-thread records per second for a phase.
func (r Row) Throughput(p Phase) int64 { _, _, _, t, _ := r.phaseValues(p); return t }

// MsPerRecord returns the row's mean ms per record for a phase.
func (r Row) MsPerRecord(p Phase) float64 { m, _, _, _, _ := r.phaseValues(p); return m }

// CPUMsPerRecord returns the row's mean thread CPU ms per record for a
// phase (0 if not measured).
func (r Row) CPUMsPerRecord(p Phase) float64 { _, c, _, _, _ := r.phaseValues(p); return c }

// Source says who measured the row and how, for the tables' Source column.
func (r Row) Source() string {
	var s string
	switch r.Implementation {
	case "river":
		s = "River"
		if r.RiverVersion != "" {
			s += " " + r.RiverVersion
		}
	case ImplementationSeed:
		return "River, seed README (2023)"
	default:
		s = r.Implementation
	}
	if r.Method == "original" {
		s += ", original method"
	}
	return s
}

// Table is a titled table of text cells.
type Table struct {
	Title   string
	Headers []string
	Rows    [][]string
}

// PhaseTable builds the original's table for one phase, with rivulet's
// columns after the original's: CPU time per record, p99 and all-cores
// throughput in every table, the trained model's memory in the training table, and the
// prequential accuracy in the together table.
func PhaseTable(rows []Row, p Phase) Table {
	consumers := 0
	for _, r := range rows {
		consumers = max(consumers, r.Consumers)
	}
	allCores := ColAllCores
	if consumers > 0 {
		allCores = fmt.Sprintf("Max Throughput (records/s, %d models on %d cores)", consumers, consumers)
	}
	t := Table{Title: p.Title(), Headers: []string{ColClassifier, ColSource, ColMsPerRecord, ColMillionSeconds,
		ColMillionMinutes, ColThroughput, ColCPU, ColP99, allCores}}
	switch p {
	case Training:
		t.Headers = append(t.Headers, ColMemory)
	case Together:
		t.Headers = append(t.Headers, ColAccuracy)
	}
	for _, r := range rows {
		m, cpu, p99, thr, all := r.phaseValues(p)
		cells := []string{r.Classifier, r.Source(), sig(m, 6), sig(m*1000, 6), sig(m*1000/60, 6),
			strconv.FormatInt(thr, 10), optional(cpu, sig(cpu, 4)), optional(p99, sig(p99, 4)), optional(all, strconv.FormatFloat(all, 'f', 0, 64))}
		switch p {
		case Training:
			cells = append(cells, optional(float64(r.MemoryBytes), strconv.FormatInt(r.MemoryBytes, 10)))
		case Together:
			cells = append(cells, optional(r.Accuracy, strconv.FormatFloat(100*r.Accuracy, 'f', 2, 64)))
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}

// optional leaves a cell empty for a value that was not measured.
func optional(v float64, s string) string {
	if v == 0 {
		return ""
	}
	return s
}

// sig formats v with n significant digits, as pandas prints the
// original's tables.
func sig(v float64, n int) string { return strconv.FormatFloat(v, 'g', n, 64) }

// Markdown writes the table as a Markdown pipe table under a "####" title,
// as the seed's README shows its tables.
func (t Table) Markdown(w io.Writer) error {
	var b strings.Builder
	if t.Title != "" {
		fmt.Fprintf(&b, "#### %s\n\n", t.Title)
	}
	widths := make([]int, len(t.Headers))
	for i, h := range t.Headers {
		widths[i] = len(h)
	}
	for _, r := range t.Rows {
		for i, c := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], len(c))
			}
		}
	}
	numeric := make([]bool, len(t.Headers))
	for i := range t.Headers {
		numeric[i] = i > 1 // the first two columns are names
	}
	line := func(cells []string) {
		b.WriteString("|")
		for i := range t.Headers {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			if numeric[i] {
				fmt.Fprintf(&b, " %*s |", widths[i], c)
			} else {
				fmt.Fprintf(&b, " %-*s |", widths[i], c)
			}
		}
		b.WriteString("\n")
	}
	line(t.Headers)
	b.WriteString("|")
	for i, wd := range widths {
		if numeric[i] {
			b.WriteString(strings.Repeat("-", wd+1) + ":|")
		} else {
			b.WriteString(":" + strings.Repeat("-", wd+1) + "|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		line(r)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// csvHeader lists the CSV columns: the JSON keys.
var csvHeader = []string{"model", "classifier", "implementation", "method", "n", "held_out",
	"train_ms_per_record", "predict_ms_per_record", "total_ms_per_record",
	"train_cpu_ms_per_record", "predict_cpu_ms_per_record", "total_cpu_ms_per_record",
	"train_p50_ms", "train_p99_ms", "train_max_ms", "predict_p50_ms", "predict_p99_ms", "predict_max_ms",
	"total_p50_ms", "total_p99_ms", "total_max_ms",
	"max_train_throughput", "max_predict_throughput", "max_total_throughput",
	"consumers", "max_train_throughput_all_cores", "max_predict_throughput_all_cores", "max_total_throughput_all_cores",
	"memory_bytes", "accuracy", "warmup", "repetitions"}

// WriteCSV writes rows as CSV with the JSON keys as header.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	for _, r := range rows {
		rec := []string{r.Model, r.Classifier, r.Implementation, r.Method, i(int64(r.N)), strconv.FormatBool(r.HeldOut),
			f(r.TrainMsPerRecord), f(r.PredictMsPerRecord), f(r.TotalMsPerRecord),
			f(r.TrainCPUMsPerRecord), f(r.PredictCPUMsPerRecord), f(r.TotalCPUMsPerRecord),
			f(r.TrainP50Ms), f(r.TrainP99Ms), f(r.TrainMaxMs), f(r.PredictP50Ms), f(r.PredictP99Ms), f(r.PredictMaxMs),
			f(r.TotalP50Ms), f(r.TotalP99Ms), f(r.TotalMaxMs),
			i(r.MaxTrainThroughput), i(r.MaxPredictThroughput), i(r.MaxTotalThroughput),
			i(int64(r.Consumers)), f(r.MaxTrainThroughputAllCores), f(r.MaxPredictThroughputAllCores), f(r.MaxTotalThroughputAllCores),
			i(r.MemoryBytes), f(r.Accuracy), i(int64(r.Warmup)), i(int64(r.Repetitions))}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
