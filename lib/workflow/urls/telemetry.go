package urls

import (
	"fmt"
	"html"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/rivulet-ml/rivulet/internal/jsonfile"

	"github.com/rivulet-ml/rivulet/lib/metrics"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// Sample is the telemetry of one processed record. Durations are in
// milliseconds.
//
// Two arrival instants are kept: when the record was received from the
// broker (its fetcher handed it over) and when the processing loop reached
// it. The original stamped only the second, inside a loop over batches of up
// to 1000 records, so its "messaging latency" included the wait behind
// earlier records of the same burst: its saw-tooth. QueueMs is that wait.
type Sample struct {
	Index     int   // 0-based processing order
	Partition int   // source partition
	Offset    int64 // source offset
	Y         bool  // true label
	Predicted int   // predicted class (1 = malicious), -1 before the model saw any class
	Score     float64

	MessagingMs      float64 // loop reached it − st (the original's messaging latency)
	MessagingRecvMs  float64 // received from the broker − st
	MessagingKafkaMs float64 // received − Kafka record timestamp
	QueueMs          float64 // loop reached it − received
	PredictionMs     float64
	LearningMs       float64
	ProcessingMs     float64 // departure − loop reached it (decode, predict, learn, bookkeeping)
	EndToEndMs       float64 // departure − st
}

// Stats summarises one duration series in milliseconds. Percentiles use
// linear interpolation between order statistics (NumPy's default).
type Stats struct {
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
	P95    float64 `json:"p95"`
	P99    float64 `json:"p99"`
	Max    float64 `json:"max"`
	Min    float64 `json:"min"`
}

// Latencies holds the summary of every duration series.
type Latencies struct {
	Messaging         Stats `json:"messaging"`
	Processing        Stats `json:"processing"`
	Prediction        Stats `json:"prediction"`
	Learning          Stats `json:"learning"`
	EndToEnd          Stats `json:"end_to_end"`
	MessagingReceived Stats `json:"messaging_received"`
	MessagingKafka    Stats `json:"messaging_kafka_timestamp"`
	QueueWait         Stats `json:"queue_wait"`
}

// Metrics are the run's classification metrics over the records that got a
// prediction (River's evaluate skips a None prediction the same way).
type Metrics struct {
	// ROCAUC is River's ROCAUC (10 thresholds) on predicted probabilities.
	ROCAUC float64 `json:"rocauc"`
	// ROCAUCExact is the exact area under the ROC curve of the same scores.
	ROCAUCExact float64 `json:"rocauc_exact"`
	// ROCAUCLabels is River's ROCAUC fed hard labels, as the original did
	// (it then nearly equals accuracy).
	ROCAUCLabels float64 `json:"rocauc_labels"`
	F1           float64 `json:"f1"`
	Recall       float64 `json:"recall"`
	// Accuracy equals the original's MicroRecall on binary labels.
	Accuracy float64 `json:"accuracy"`
}

// Samples holds the per-record series, in processing order.
type Samples struct {
	MessagingMs      []float64 `json:"messaging_ms"`
	MessagingRecvMs  []float64 `json:"messaging_received_ms"`
	MessagingKafkaMs []float64 `json:"messaging_kafka_timestamp_ms"`
	QueueMs          []float64 `json:"queue_wait_ms"`
	PredictionMs     []float64 `json:"prediction_ms"`
	LearningMs       []float64 `json:"learning_ms"`
	ProcessingMs     []float64 `json:"processing_ms"`
	EndToEndMs       []float64 `json:"end_to_end_ms"`
	Y                []bool    `json:"y,omitempty"`
	Predicted        []int     `json:"predicted,omitempty"`
	Score            []float64 `json:"score,omitempty"`
	Partition        []int32   `json:"partition,omitempty"`
	Offset           []int64   `json:"offset,omitempty"`
}

// Summary is the result of Consume. Its JSON form is what `rivulet consume
// urls --json` prints.
type Summary struct {
	Topic            string    `json:"topic"`
	Model            string    `json:"model"`
	Order            string    `json:"order"`
	Processed        int       `json:"processed"`
	DeadLettered     int       `json:"dead_lettered"`
	Unpredicted      int       `json:"unpredicted"`
	Seconds          float64   `json:"seconds"`
	RecordsPerSecond float64   `json:"records_per_second"`
	Latency          Latencies `json:"latency_ms"`
	Metrics          Metrics   `json:"metrics"`
	MemoryBytes      []int64   `json:"memory_bytes"`
	MeanMemoryBytes  float64   `json:"mean_memory_bytes"`
	// Produced is what the producer of WithLocalProducer sent (nil
	// without one).
	Produced *ProduceResult `json:"produced,omitempty"`
	// Samples holds every record's telemetry, in processing order; nil
	// with WithoutSamples.
	Samples *Samples `json:"-"`
}

// Series indices in recorder.series.
const (
	seriesMessaging = iota
	seriesMessagingRecv
	seriesMessagingKafka
	seriesQueue
	seriesPrediction
	seriesLearning
	seriesProcessing
	seriesEndToEnd
	numSeries
)

// reservoirSize bounds the latency values kept for percentiles when
// per-record samples are not kept (WithoutSamples, a consumer that may run
// for ever): beyond it, a uniform reservoir sample of the whole run (the
// same records for every series) stands for the run, while mean, minimum
// and maximum stay exact.
const reservoirSize = 1 << 20

type extremes struct{ sum, min, max float64 }

type recorder struct {
	topic, model string
	order        Order
	keep         bool
	n            int
	unpredicted  int
	first, last  time.Time
	series       [numSeries][]float64
	exact        [numSeries]extremes
	limit        int        // reservoir size when samples are not kept
	rng          *rand.Rand // reservoir sampling, fixed seed
	s            Samples    // per-record fields besides the series, when kept
	memory       []int64

	rocauc, rocaucLabels *metrics.ROCAUC
	exactAUC             *metrics.ExactROCAUC
	f1                   *metrics.F1
	recall               *metrics.Recall
	accuracy             *metrics.Accuracy
}

func newRecorder(capacity int, keep bool, model string, order Order, topic string) *recorder {
	if capacity <= 0 || capacity > reservoirSize {
		capacity = 1024
	}
	r := &recorder{topic: topic, model: model, order: order, keep: keep, limit: reservoirSize, rng: rand.New(rand.NewPCG(1, 2)),
		rocauc: metrics.NewROCAUC(), rocaucLabels: metrics.NewROCAUC(), exactAUC: metrics.NewExactROCAUC(),
		f1: metrics.NewF1(), recall: metrics.NewRecall(), accuracy: metrics.NewAccuracy()}
	for i := range r.series {
		r.series[i] = make([]float64, 0, capacity)
	}
	return r
}

func (r *recorder) add(s *Sample, proba []float64, reached, departure time.Time) {
	if r.n == 0 {
		r.first = reached
	}
	r.last = departure
	r.n++
	vals := [numSeries]float64{
		seriesMessaging:      s.MessagingMs,
		seriesMessagingRecv:  s.MessagingRecvMs,
		seriesMessagingKafka: s.MessagingKafkaMs,
		seriesQueue:          s.QueueMs,
		seriesPrediction:     s.PredictionMs,
		seriesLearning:       s.LearningMs,
		seriesProcessing:     s.ProcessingMs,
		seriesEndToEnd:       s.EndToEndMs,
	}
	slot := -1 // append
	if !r.keep && r.n > r.limit {
		if slot = r.rng.IntN(r.n); slot >= r.limit {
			slot = -2 // not sampled
		}
	}
	for i, v := range vals {
		e := &r.exact[i]
		if r.n == 1 {
			e.min, e.max = v, v
		}
		e.sum += v
		e.min, e.max = min(e.min, v), max(e.max, v)
		switch slot {
		case -1:
			r.series[i] = append(r.series[i], v)
		case -2:
		default:
			r.series[i][slot] = v
		}
	}
	if r.keep {
		r.s.Y = append(r.s.Y, s.Y)
		r.s.Predicted = append(r.s.Predicted, s.Predicted)
		r.s.Score = append(r.s.Score, s.Score)
		r.s.Partition = append(r.s.Partition, int32(s.Partition))
		r.s.Offset = append(r.s.Offset, s.Offset)
	}
	if s.Predicted < 0 {
		r.unpredicted++
		return
	}
	y := 0
	if s.Y {
		y = 1
	}
	r.rocauc.UpdateProba(y, proba, 1)
	r.exactAUC.UpdateProba(y, proba, 1)
	r.rocaucLabels.Update(y, s.Predicted, 1)
	r.f1.Update(y, s.Predicted, 1)
	r.recall.Update(y, s.Predicted, 1)
	r.accuracy.Update(y, s.Predicted, 1)
}

// stats summarises series i: percentiles from the kept values, mean and
// extremes exact.
func (r *recorder) stats(i int) Stats {
	st := Summarize(r.series[i])
	if r.n > 0 {
		e := r.exact[i]
		st.Mean, st.Min, st.Max = e.sum/float64(r.n), e.min, e.max
	}
	return st
}

func (r *recorder) summary() *Summary {
	s := &Summary{Topic: r.topic, Model: r.model, Order: r.order.String(), Processed: r.n,
		Unpredicted: r.unpredicted, MemoryBytes: r.memory}
	if r.n > 0 {
		s.Seconds = r.last.Sub(r.first).Seconds()
		if s.Seconds > 0 {
			s.RecordsPerSecond = float64(r.n) / s.Seconds
		}
	}
	s.Latency = Latencies{
		Messaging:         r.stats(seriesMessaging),
		Processing:        r.stats(seriesProcessing),
		Prediction:        r.stats(seriesPrediction),
		Learning:          r.stats(seriesLearning),
		EndToEnd:          r.stats(seriesEndToEnd),
		MessagingReceived: r.stats(seriesMessagingRecv),
		MessagingKafka:    r.stats(seriesMessagingKafka),
		QueueWait:         r.stats(seriesQueue),
	}
	if r.n > r.unpredicted {
		s.Metrics = Metrics{ROCAUC: r.rocauc.Get(), ROCAUCExact: r.exactAUC.Get(), ROCAUCLabels: r.rocaucLabels.Get(),
			F1: r.f1.Get(), Recall: r.recall.Get(), Accuracy: r.accuracy.Get()}
	}
	if len(r.memory) > 0 {
		sum := 0.0
		for _, m := range r.memory {
			sum += float64(m)
		}
		s.MeanMemoryBytes = sum / float64(len(r.memory))
	}
	if r.keep {
		samples := r.s
		samples.MessagingMs = r.series[seriesMessaging]
		samples.MessagingRecvMs = r.series[seriesMessagingRecv]
		samples.MessagingKafkaMs = r.series[seriesMessagingKafka]
		samples.QueueMs = r.series[seriesQueue]
		samples.PredictionMs = r.series[seriesPrediction]
		samples.LearningMs = r.series[seriesLearning]
		samples.ProcessingMs = r.series[seriesProcessing]
		samples.EndToEndMs = r.series[seriesEndToEnd]
		s.Samples = &samples
	}
	return s
}

// Summarize computes the Stats of a series (all zero when it is empty).
func Summarize(v []float64) Stats {
	if len(v) == 0 {
		return Stats{}
	}
	sorted := slices.Clone(v)
	slices.Sort(sorted)
	sum := 0.0
	for _, x := range sorted {
		sum += x
	}
	return Stats{
		Mean:   sum / float64(len(sorted)),
		Median: Percentile(sorted, 50),
		P95:    Percentile(sorted, 95),
		P99:    Percentile(sorted, 99),
		Max:    sorted[len(sorted)-1],
		Min:    sorted[0],
	}
}

// Percentile returns the q-th percentile (0..100) of an ascending series by
// linear interpolation, numpy.percentile's default.
func Percentile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	pos := q / 100 * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(sorted)-1)
	return sorted[lo] + (sorted[hi]-sorted[lo])*(pos-float64(lo))
}

// Row is one line of the latency table.
type Row struct {
	Name  string
	Stats Stats
}

// Rows returns the latency table: the original's five rows, with its names,
// then the rows it could not show (arrival at receipt, Kafka timestamp,
// queue wait).
func (s *Summary) Rows() []Row {
	l := s.Latency
	return []Row{
		{"MESSAGING LATENCY(ms)", l.Messaging},
		{"PROCESSING DURATIONS ON ARRIVAL(ms)", l.Processing},
		{"PREDICTION DURATIONS ON ARRIVAL(ms)", l.Prediction},
		{"LEARNING DURATIONS ON ARRIVAL(ms)", l.Learning},
		{"END TO END DURATIONS(ms)", l.EndToEnd},
		{"MESSAGING LATENCY ON RECEIPT(ms)", l.MessagingReceived},
		{"KAFKA TIMESTAMP TO RECEIPT(ms)", l.MessagingKafka},
		{"QUEUE WAIT BEFORE PROCESSING(ms)", l.QueueWait},
	}
}

var tableColumns = []string{"MEAN", "MEDIAN", "P95", "P99", "MAXIMUM", "MINIMUM"}

func (st Stats) values() []float64 {
	return []float64{st.Mean, st.Median, st.P95, st.P99, st.Max, st.Min}
}

// WriteText writes the original's result lines and the latency table:
//
//	Messages consumed:5000,Total Cumulative Time (seconds): 10.2228
//	ROCAUC: 81.27%
//	...
func (s *Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Messages consumed:%d,Total Cumulative Time (seconds): %.4f\n", s.Processed, s.Seconds)
	if s.DeadLettered > 0 {
		fmt.Fprintf(&b, "Dead-lettered: %d (to %s)\n", s.DeadLettered, stream.DeadLetterTopic(s.Topic))
	}
	fmt.Fprintf(&b, "Records per second: %.1f (%s, %s)\n", s.RecordsPerSecond, s.Model, s.Order)
	fmt.Fprintf(&b, "ROCAUC: %.2f%% (exact %.2f%%; on hard labels, as the original: %.2f%%)\n",
		100*s.Metrics.ROCAUC, 100*s.Metrics.ROCAUCExact, 100*s.Metrics.ROCAUCLabels)
	fmt.Fprintf(&b, "F1: %.2f%%\nRecall: %.2f%%\nAccuracy (MicroRecall): %.2f%%\n", 100*s.Metrics.F1, 100*s.Metrics.Recall, 100*s.Metrics.Accuracy)
	if len(s.MemoryBytes) > 0 {
		fmt.Fprintf(&b, "AVERAGE MEMORY USAGE %.0f\n", s.MeanMemoryBytes)
	}
	rows := s.Rows()
	width := 0
	for _, r := range rows {
		width = max(width, len(r.Name))
	}
	fmt.Fprintf(&b, "%-*s", width, "Type of durations")
	for _, c := range tableColumns {
		fmt.Fprintf(&b, " %11s", c)
	}
	b.WriteByte('\n')
	for _, r := range rows {
		fmt.Fprintf(&b, "%-*s", width, r.Name)
		for _, v := range r.Stats.values() {
			fmt.Fprintf(&b, " %11.4f", v)
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// TableHTML renders the latency table as an HTML table for notebooks.
func (s *Summary) TableHTML() string {
	var b strings.Builder
	b.WriteString(`<table class="rivulet-latency"><thead><tr><th style="text-align:left">Type of durations</th>`)
	for _, c := range tableColumns {
		fmt.Fprintf(&b, `<th style="text-align:right">%s</th>`, c)
	}
	b.WriteString("</tr></thead><tbody>")
	for i, r := range s.Rows() {
		style := ""
		if i == 5 {
			style = ` style="border-top:2px solid #888"`
		}
		fmt.Fprintf(&b, `<tr%s><td style="text-align:left">%s</td>`, style, html.EscapeString(r.Name))
		for _, v := range r.Stats.values() {
			fmt.Fprintf(&b, `<td style="text-align:right">%.4f</td>`, v)
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}

// appendPrediction encodes a predictions-topic record: {"id", "y", "score",
// "version", "latencies": {...ms}}. score is P(malicious), or -1 before the
// model saw any class (the original's endpoint answered -1 without a model).
func appendPrediction(dst []byte, r *stream.URLRecord, s *Sample, version int) []byte {
	dst = append(dst, `{"id": "`...)
	dst = append(dst, r.ID.String()...)
	if r.Y {
		dst = append(dst, `", "y": "true", "score": `...)
	} else {
		dst = append(dst, `", "y": "false", "score": `...)
	}
	dst = stream.AppendPythonFloat(dst, s.Score)
	dst = fmt.Appendf(dst, `, "version": %d, "latencies": {"messaging": `, version)
	dst = stream.AppendPythonFloat(dst, s.MessagingMs)
	dst = append(dst, `, "processing": `...)
	dst = stream.AppendPythonFloat(dst, s.ProcessingMs)
	dst = append(dst, `, "prediction": `...)
	dst = stream.AppendPythonFloat(dst, s.PredictionMs)
	dst = append(dst, `, "learning": `...)
	dst = stream.AppendPythonFloat(dst, s.LearningMs)
	dst = append(dst, `, "end_to_end": `...)
	dst = stream.AppendPythonFloat(dst, s.EndToEndMs)
	return append(dst, "}}"...)
}

// savedSummary is the file form of a Summary: its JSON plus the samples.
type savedSummary struct {
	Summary
	Samples *Samples `json:"samples"`
}

// Save writes the summary with its per-record samples as JSON, so that a
// later notebook cell (a separate program under GoNB) can plot them.
func (s *Summary) Save(path string) error {
	if err := jsonfile.Save(path, savedSummary{*s, s.Samples}); err != nil {
		return fmt.Errorf("urls: %w", err)
	}
	return nil
}

// LoadSummary reads a summary written by Save.
func LoadSummary(path string) (*Summary, error) {
	var saved savedSummary
	if err := jsonfile.Load(path, &saved, "the consumer cell"); err != nil {
		return nil, fmt.Errorf("urls: %w", err)
	}
	s := saved.Summary
	s.Samples = saved.Samples
	return &s, nil
}

// pyFloat formats like Python's print of a float.
func pyFloat(f float64) string { return string(stream.AppendPythonFloat(nil, f)) }
