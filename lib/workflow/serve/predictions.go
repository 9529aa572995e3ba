package serve

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/rivulet-ml/rivulet/lib/metrics"
	"github.com/rivulet-ml/rivulet/lib/stream"
	"github.com/rivulet-ml/rivulet/lib/workflow/urls"
)

// Prediction is one record of the predictions topic:
//
//	{"id": "<uuid>", "y": "true", "score": 0.93, "version": 5,
//	 "messaging_ms": 1.9, "processing_ms": 0.02, "e2e_ms": 1.92}
//
// the fields of the original endpoint's records (id, y, score, version,
// and its msg_l, p_dur and e_e_dur in milliseconds instead of seconds, under
// names that say what they are). Its key is the scored record's key; its
// headers name the scored record's partition and offset and the replica.
type Prediction struct {
	ID uuid.UUID `json:"id"`
	// Y is the true label carried by the scored record.
	Y bool `json:"y"`
	// Score is P(malicious) under the model, -1 before it saw any class.
	Score   float64 `json:"score"`
	Version int64   `json:"version"`
	// MessagingMs is producer timestamp (st) to the moment the scoring
	// loop reached the record; ProcessingMs from then to the prediction
	// encoded; EndToEndMs from st to the prediction encoded.
	MessagingMs  float64 `json:"messaging_ms"`
	ProcessingMs float64 `json:"processing_ms"`
	EndToEndMs   float64 `json:"e2e_ms"`

	// Where it was read from (set by ReadPredictions).
	Partition       int32  `json:"-"`
	Offset          int64  `json:"-"`
	SourcePartition int32  `json:"-"`
	SourceOffset    int64  `json:"-"`
	Replica         string `json:"-"`
}

// Append appends p's JSON form, as Python's json.dumps writes it (the
// original's consumers read these with json.loads).
func (p *Prediction) Append(dst []byte) []byte {
	dst = append(dst, `{"id": "`...)
	dst = appendUUID(dst, p.ID)
	if p.Y {
		dst = append(dst, `", "y": "true", "score": `...)
	} else {
		dst = append(dst, `", "y": "false", "score": `...)
	}
	dst = stream.AppendPythonFloat(dst, finite(p.Score))
	dst = append(dst, `, "version": `...)
	dst = strconv.AppendInt(dst, p.Version, 10)
	dst = append(dst, `, "messaging_ms": `...)
	dst = stream.AppendPythonFloat(dst, finite(p.MessagingMs))
	dst = append(dst, `, "processing_ms": `...)
	dst = stream.AppendPythonFloat(dst, finite(p.ProcessingMs))
	dst = append(dst, `, "e2e_ms": `...)
	dst = stream.AppendPythonFloat(dst, finite(p.EndToEndMs))
	return append(dst, '}')
}

// finite keeps NaN and infinities (which are not JSON) out of a record.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return -1
	}
	return v
}

func appendUUID(dst []byte, id uuid.UUID) []byte {
	const hex = "0123456789abcdef"
	for i, b := range id {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hex[b>>4], hex[b&15])
	}
	return dst
}

// UnmarshalJSON reads the JSON form ("y" as "true"/"false" or a boolean).
func (p *Prediction) UnmarshalJSON(b []byte) error {
	var raw struct {
		ID           uuid.UUID       `json:"id"`
		Y            json.RawMessage `json:"y"`
		Score        *float64        `json:"score"`
		Version      *int64          `json:"version"`
		MessagingMs  float64         `json:"messaging_ms"`
		ProcessingMs float64         `json:"processing_ms"`
		EndToEndMs   float64         `json:"e2e_ms"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	switch string(raw.Y) {
	case `"true"`, `true`:
		p.Y = true
	case `"false"`, `false`:
		p.Y = false
	default:
		return fmt.Errorf("prediction: y = %s: want \"true\" or \"false\"", raw.Y)
	}
	if raw.Score == nil || raw.Version == nil {
		return errors.New(`prediction: "score" and "version" are required`)
	}
	p.ID, p.Score, p.Version = raw.ID, *raw.Score, *raw.Version
	p.MessagingMs, p.ProcessingMs, p.EndToEndMs = raw.MessagingMs, raw.ProcessingMs, raw.EndToEndMs
	return nil
}

// ReadPredictions reads the predictions topic from the given offsets (a
// partition not named starts at its beginning) up to its end offsets at the
// time of the call, or until want predictions were read when want > 0
// (waiting for them until ctx ends). A record that is not a prediction is an
// error naming its partition and offset.
func ReadPredictions(ctx context.Context, brokers []string, topic string, from map[int]int64, want int) ([]Prediction, error) {
	ends, err := stream.TopicEndOffsets(ctx, brokers, topic)
	if err != nil {
		return nil, err
	}
	start := map[int32]kgo.Offset{}
	remaining := map[int32]int64{}
	for p, end := range ends {
		off, ok := from[p]
		if !ok {
			start[int32(p)] = kgo.NewOffset().AtStart()
		} else {
			start[int32(p)] = kgo.NewOffset().At(off)
		}
		if want <= 0 && end > off {
			remaining[int32(p)] = end
		}
	}
	if want <= 0 && len(remaining) == 0 {
		return nil, nil
	}
	cl, err := kgo.NewClient(
		kgo.SeedBrokers(brokers...),
		kgo.ClientID("rivulet-read-predictions"),
		kgo.DialTimeout(2*time.Second),
		kgo.FetchMaxWait(stream.DefaultMaxWait),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: start}),
	)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	defer cl.Close()
	var out []Prediction
	for (want > 0 && len(out) < want) || (want <= 0 && len(remaining) > 0) {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return out, &stream.TimeoutError{Topic: topic, Want: int64(want), Got: int64(len(out)), Partial: ctx.Err()}
		}
		if err := fetchErr(fs); err != nil {
			return out, fmt.Errorf("serve: reading %s: %w", topic, err)
		}
		var bad error
		fs.EachRecord(func(r *kgo.Record) {
			if bad != nil {
				return
			}
			if want <= 0 {
				end, ok := remaining[r.Partition]
				if !ok || r.Offset >= end {
					return
				}
				if r.Offset+1 >= end {
					delete(remaining, r.Partition)
				}
			}
			var p Prediction
			if err := json.Unmarshal(r.Value, &p); err != nil {
				bad = stream.WrapMessage(kafka.Message{Topic: r.Topic, Partition: int(r.Partition), Offset: r.Offset}, err)
				return
			}
			p.Partition, p.Offset = r.Partition, r.Offset
			if s, ok := header(r, HeaderSourcePartition); ok {
				v, _ := strconv.ParseInt(s, 10, 32)
				p.SourcePartition = int32(v)
			}
			if s, ok := header(r, HeaderSourceOffset); ok {
				p.SourceOffset, _ = strconv.ParseInt(s, 10, 64)
			}
			p.Replica, _ = header(r, HeaderReplica)
			out = append(out, p)
		})
		if bad != nil {
			return out, bad
		}
	}
	return out, nil
}

// OfReplica keeps the predictions written by one replica (several services
// may write to one predictions topic).
func OfReplica(preds []Prediction, replica string) []Prediction {
	var out []Prediction
	for _, p := range preds {
		if p.Replica == replica {
			out = append(out, p)
		}
	}
	return out
}

// VersionStats summarises the predictions of one model version.
type VersionStats struct {
	Version int64 `json:"version"`
	Records int   `json:"records"`
	// Positives and Negatives count the scored records by true label;
	// ROCAUC means nothing unless both are positive.
	Positives int `json:"positives"`
	Negatives int `json:"negatives"`
	// Metrics on the scored records' true labels (records without a
	// score, -1, are left out as River's evaluate leaves out None).
	Accuracy  float64 `json:"accuracy"`
	F1        float64 `json:"f1"`
	ROCAUC    float64 `json:"rocauc"` // River's ROCAUC (10 thresholds) on the scores
	MeanScore float64 `json:"mean_score"`
	// Mean latencies, ms.
	MessagingMs float64 `json:"messaging_ms"`
	EndToEndMs  float64 `json:"e2e_ms"`
}

// ByVersion groups predictions by model version, ascending.
func ByVersion(preds []Prediction) []VersionStats {
	type acc struct {
		st         VersionStats
		accuracy   *metrics.Accuracy
		f1         *metrics.F1
		rocauc     *metrics.ROCAUC
		scored     int
		score, msg float64
		e2e        float64
	}
	groups := map[int64]*acc{}
	for _, p := range preds {
		g := groups[p.Version]
		if g == nil {
			g = &acc{st: VersionStats{Version: p.Version}, accuracy: metrics.NewAccuracy(), f1: metrics.NewF1(), rocauc: metrics.NewROCAUC()}
			groups[p.Version] = g
		}
		g.st.Records++
		g.msg += p.MessagingMs
		g.e2e += p.EndToEndMs
		if p.Score < 0 {
			continue
		}
		y, yPred := 0, 0
		if p.Y {
			y = 1
		}
		if p.Score > 0.5 {
			yPred = 1
		}
		g.scored++
		if p.Y {
			g.st.Positives++
		} else {
			g.st.Negatives++
		}
		g.score += p.Score
		g.accuracy.Update(y, yPred, 1)
		g.f1.Update(y, yPred, 1)
		g.rocauc.UpdateProba(y, []float64{1 - p.Score, p.Score}, 1)
	}
	out := make([]VersionStats, 0, len(groups))
	for _, g := range groups {
		st := g.st
		st.MessagingMs = g.msg / float64(st.Records)
		st.EndToEndMs = g.e2e / float64(st.Records)
		if g.scored > 0 {
			st.Accuracy, st.F1, st.ROCAUC = g.accuracy.Get(), g.f1.Get(), g.rocauc.Get()
			st.MeanScore = g.score / float64(g.scored)
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b VersionStats) int { return cmp.Compare(a.Version, b.Version) })
	return out
}

// LatencyRows is the latency table of predictions, in the rows and
// statistics of the original's consumer table (urls.Summary.Rows).
func LatencyRows(preds []Prediction) []urls.Row {
	msg := make([]float64, len(preds))
	proc := make([]float64, len(preds))
	e2e := make([]float64, len(preds))
	for i, p := range preds {
		msg[i], proc[i], e2e[i] = p.MessagingMs, p.ProcessingMs, p.EndToEndMs
	}
	return []urls.Row{
		{Name: "MESSAGING LATENCY(ms)", Stats: urls.Summarize(msg)},
		{Name: "PROCESSING DURATIONS ON ARRIVAL(ms)", Stats: urls.Summarize(proc)},
		{Name: "END TO END DURATIONS(ms)", Stats: urls.Summarize(e2e)},
	}
}

// VersionScores are the scores of one version's predictions, for a chart of
// every prediction grouped by version: Index places them after the
// predictions of the versions before (0, 1, … over all versions).
type VersionScores struct {
	Version int64
	Index   []float64
	Score   []float64
}

// ScoresByVersion groups the scores of preds by version, ascending, keeping
// their order within a version.
func ScoresByVersion(preds []Prediction) []VersionScores {
	pos := map[int64]int{}
	var out []VersionScores
	for _, p := range preds {
		if _, ok := pos[p.Version]; !ok {
			pos[p.Version] = len(out)
			out = append(out, VersionScores{Version: p.Version})
		}
		g := &out[pos[p.Version]]
		g.Score = append(g.Score, p.Score)
	}
	slices.SortFunc(out, func(a, b VersionScores) int { return cmp.Compare(a.Version, b.Version) })
	next := 0
	for i := range out {
		out[i].Index = make([]float64, len(out[i].Score))
		for j := range out[i].Index {
			out[i].Index[j] = float64(next)
			next++
		}
	}
	return out
}

// MetricsWithoutHistograms keeps the sample lines of a /metrics document
// (Prometheus text format) without its comments and histogram buckets: the
// counters, gauges and histogram sums and counts.
func MetricsWithoutHistograms(text string) string {
	var keep []string
	for _, line := range strings.Split(text, "\n") {
		if line != "" && !strings.HasPrefix(line, "#") && !strings.Contains(line, "_bucket{") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}
