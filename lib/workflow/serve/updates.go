package serve

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/rivulet-ml/rivulet/lib/snapshot"
	"github.com/rivulet-ml/rivulet/lib/stream"
)

// Swap describes one model swap.
type Swap struct {
	Version  int64  `json:"version"`
	Previous int64  `json:"previous"` // -1 for the first model
	Name     string `json:"name"`
	// PublishedAt is the publisher's created-at header, ReceivedAt when
	// the update's last record was received, EffectiveAt when the next
	// record to score would use it.
	PublishedAt time.Time `json:"published_at"`
	ReceivedAt  time.Time `json:"received_at"`
	EffectiveAt time.Time `json:"effective_at"`
	// Live is false for the version loaded at start, from the topic's
	// history; true for a version published while the service ran.
	Live bool `json:"live"`
	// LatencyMs is EffectiveAt − PublishedAt for a live swap: how long
	// after publishing the version scores records (the publisher's clock
	// against ours). 0 for a version loaded at start.
	LatencyMs float64 `json:"latency_ms"`
}

// Rejection is a model update the service refused.
type Rejection struct {
	Version   int64     `json:"version"`
	Partition int32     `json:"partition"`
	Offset    int64     `json:"offset"`
	Error     string    `json:"error"`
	At        time.Time `json:"at"`
}

// assembly collects the chunks of one published version.
type assembly struct {
	meta Meta
	recs []*kgo.Record
	size int
}

type asmKey struct {
	partition int32
	version   int64
}

// candidate is a complete, verified snapshot read while catching up.
type candidate struct {
	meta     Meta
	data     []byte
	received time.Time
	last     *kgo.Record
}

// updates follows the model-update topic. Every replica reads every
// update (no consumer group): each must hold the newest model.
type updates struct {
	c     *config
	store *versions
	m     *serviceMetrics
	cl    *kgo.Client
	dlq   *stream.DeadLetterWriter
	asm   map[asmKey]*assembly

	mu       sync.Mutex
	rejected []Rejection
	swaps    []Swap
}

func newUpdates(c *config, store *versions, m *serviceMetrics) *updates {
	return &updates{c: c, store: store, m: m, asm: map[asmKey]*assembly{}}
}

// catchUp reads the topic up to its end offsets at the time of the call
// and loads the newest valid versions; it leaves the client positioned
// for follow.
func (u *updates) catchUp(ctx context.Context) error {
	c := u.c
	ectx, cancel := context.WithTimeout(ctx, c.brokerWait)
	err := stream.EnsureTopic(ectx, c.brokers, c.modelTopic, 1)
	cancel()
	if err != nil {
		return err
	}
	ends, err := stream.TopicEndOffsets(ctx, c.brokers, c.modelTopic)
	if err != nil {
		return err
	}
	u.cl, err = kgo.NewClient(
		kgo.SeedBrokers(c.brokers...),
		kgo.ClientID("rivulet-serve-models"),
		kgo.DialTimeout(2*time.Second),
		kgo.ConsumeTopics(c.modelTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchMaxWait(100*time.Millisecond),
		kgo.FetchMaxPartitionBytes(int32(min(DefaultMaxSnapshotBytes, 64<<20))),
	)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	behind := map[int32]int64{}
	for p, end := range ends {
		if end > 0 {
			behind[int32(p)] = end
		}
	}
	var found []candidate
	for len(behind) > 0 {
		pctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		fs := u.cl.PollFetches(pctx)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := fetchErr(fs); err != nil {
			return fmt.Errorf("serve: reading %s: %w", c.modelTopic, err)
		}
		if fs.Empty() {
			// Retention may have removed records (the log starts later
			// than 0) or an aborted transaction left a gap: check how far
			// the topic really goes before waiting again.
			lags, err := u.stillBehind(ctx, behind)
			if err != nil {
				return err
			}
			behind = lags
			continue
		}
		fs.EachRecord(func(r *kgo.Record) {
			if end, ok := behind[r.Partition]; ok && r.Offset+1 >= end {
				delete(behind, r.Partition)
			}
			if cand, ok := u.assemble(ctx, r, false); ok {
				found = keepNewest(append(found, cand), c.keep)
			}
		})
	}
	loaded := 0
	for _, cand := range found {
		if loaded >= c.keep {
			break
		}
		if _, dup := u.store.version(cand.meta.Version); dup {
			continue
		}
		if err := u.load(ctx, cand, false); err == nil {
			loaded++
		}
	}
	return nil
}

// keepNewest sorts candidates newest first and keeps at most 2·keep of
// them: enough to load keep versions when a few fail to decode, without
// holding every snapshot of a long history in memory.
func keepNewest(found []candidate, keep int) []candidate {
	slices.SortStableFunc(found, func(a, b candidate) int { return cmp.Compare(b.meta.Version, a.meta.Version) })
	if len(found) > 2*keep {
		found = found[:2*keep]
	}
	return found
}

// stillBehind keeps the partitions whose end lies past what was read.
func (u *updates) stillBehind(ctx context.Context, behind map[int32]int64) (map[int32]int64, error) {
	c := kafka.Client{Addr: kafka.TCP(u.c.brokers...), Transport: &kafka.Transport{DialTimeout: 2 * time.Second}}
	defer c.Transport.(*kafka.Transport).CloseIdleConnections()
	var reqs []kafka.OffsetRequest
	for p := range behind {
		reqs = append(reqs, kafka.FirstOffsetOf(int(p)))
	}
	resp, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{u.c.modelTopic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("serve: start offsets of %s: %w", u.c.modelTopic, err)
	}
	out := map[int32]int64{}
	for _, po := range resp.Topics[u.c.modelTopic] {
		end := behind[int32(po.Partition)]
		if po.Error == nil && po.FirstOffset >= end {
			continue // nothing left to read below end
		}
		out[int32(po.Partition)] = end
	}
	return out, nil
}

// follow loads new versions as they are published, until ctx ends.
func (u *updates) follow(ctx context.Context) error {
	for {
		fs := u.cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err := fetchErr(fs); err != nil {
			return fmt.Errorf("serve: reading %s: %w", u.c.modelTopic, err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			if cand, ok := u.assemble(ctx, r, true); ok {
				u.load(ctx, cand, true)
			}
		})
	}
}

func (u *updates) close() {
	if u.cl != nil {
		u.cl.Close()
	}
	if u.dlq != nil {
		u.dlq.Close()
	}
}

// assemble adds one record to its version's assembly and returns the
// snapshot once the last chunk is in and verified.
func (u *updates) assemble(ctx context.Context, r *kgo.Record, live bool) (candidate, bool) {
	meta, chunk, chunks, err := parseMeta(r)
	if err != nil {
		u.reject(ctx, live, meta.Version, err, r)
		return candidate{}, false
	}
	key := asmKey{r.Partition, meta.Version}
	a := u.asm[key]
	switch {
	case chunk == 1:
		if a != nil {
			delete(u.asm, key)
			u.reject(ctx, live, meta.Version, fmt.Errorf("chunks %d of %d only: superseded by a new publication of version %d", len(a.recs), a.meta.Chunks, meta.Version), a.recs...)
		}
		if meta.Bytes > DefaultMaxSnapshotBytes {
			u.reject(ctx, live, meta.Version, fmt.Errorf("snapshot of %d bytes exceeds the service's %d-byte limit", meta.Bytes, DefaultMaxSnapshotBytes), r)
			return candidate{}, false
		}
		a = &assembly{meta: meta}
	case a == nil:
		u.reject(ctx, live, meta.Version, fmt.Errorf("chunk %d/%d without the chunks before it", chunk, chunks), r)
		return candidate{}, false
	case chunk != len(a.recs)+1 || chunks != a.meta.Chunks || meta.Checksum != a.meta.Checksum || meta.Bytes != a.meta.Bytes:
		delete(u.asm, key)
		u.reject(ctx, live, meta.Version, fmt.Errorf("chunk %d/%d (checksum %s) does not continue chunks 1..%d/%d (checksum %s)",
			chunk, chunks, ChecksumString(meta.Checksum), len(a.recs), a.meta.Chunks, ChecksumString(a.meta.Checksum)), append(a.recs, r)...)
		return candidate{}, false
	}
	a.recs = append(a.recs, r)
	a.size += len(r.Value)
	if a.size > a.meta.Bytes {
		delete(u.asm, key)
		u.reject(ctx, live, meta.Version, fmt.Errorf("chunks hold more than the %d bytes announced", a.meta.Bytes), a.recs...)
		return candidate{}, false
	}
	if len(a.recs) < chunks {
		u.asm[key] = a
		return candidate{}, false
	}
	delete(u.asm, key)
	data := r.Value
	if len(a.recs) > 1 {
		data = make([]byte, 0, a.size)
		for _, rec := range a.recs {
			data = append(data, rec.Value...)
		}
	}
	if err := u.verify(a.meta, data); err != nil {
		u.reject(ctx, live, meta.Version, err, a.recs...)
		return candidate{}, false
	}
	return candidate{meta: a.meta, data: data, received: time.Now(), last: r}, true
}

// verify checks a reassembled snapshot against its headers and the
// service's feature layout, before any model code sees it.
func (u *updates) verify(meta Meta, data []byte) error {
	if len(data) != meta.Bytes {
		return fmt.Errorf("snapshot has %d bytes, the headers announce %d", len(data), meta.Bytes)
	}
	h, _, err := snapshot.Inspect(data)
	if err != nil {
		return err
	}
	if h.Checksum != meta.Checksum {
		return fmt.Errorf("snapshot checksum %s differs from header %s=%s", ChecksumString(h.Checksum), HeaderChecksum, ChecksumString(meta.Checksum))
	}
	if meta.Kind != "" && h.Kind != meta.Kind {
		return fmt.Errorf("snapshot kind %s differs from header %s=%s", h.Kind, HeaderModelKind, meta.Kind)
	}
	if u.c.schema != "" && meta.Schema != u.c.schema {
		return fmt.Errorf("model trained on feature schema %q; this service scores %q", meta.Schema, u.c.schema)
	}
	return nil
}

// load decodes a verified snapshot and hands it to the store.
func (u *updates) load(ctx context.Context, cand candidate, live bool) error {
	sm, err := snapshot.Unmarshal(cand.data)
	var m *Model
	if err == nil {
		m, err = newModel(cand.meta, sm)
	}
	if err != nil {
		u.reject(ctx, live, cand.meta.Version, err, cand.last)
		return err
	}
	swapped, previous := u.store.add(m)
	if !swapped {
		if live {
			u.c.logf("model version %d loaded but not served: version %d is newer\n", m.Version, previous)
		}
		return nil
	}
	now := time.Now()
	s := Swap{Version: m.Version, Previous: previous, Name: m.Name, PublishedAt: m.CreatedAt, ReceivedAt: cand.received, EffectiveAt: now, Live: live}
	if live && !m.CreatedAt.IsZero() {
		s.LatencyMs = ms(now.Sub(m.CreatedAt))
	}
	u.m.swapped(m.Version, now.Sub(m.CreatedAt), live)
	u.mu.Lock()
	u.swaps = append(u.swaps, s)
	u.mu.Unlock()
	if live {
		u.c.logf("serving model version %d (%s %s, %d bytes): effective %.1f ms after it was published\n",
			m.Version, m.Name, m.Kind, m.Bytes, s.LatencyMs)
	} else {
		u.c.logf("serving model version %d (%s %s, %d bytes, published %s), the newest in %s\n",
			m.Version, m.Name, m.Kind, m.Bytes, m.CreatedAt.Format(time.RFC3339), u.c.modelTopic)
	}
	if u.c.onSwap != nil {
		u.c.onSwap(s)
	}
	return nil
}

// reject reports a model update the service refuses: a log line, the
// metrics, and (for updates published while it runs) a copy of its
// records in "<topic>.dlq". Records read while catching up are history:
// they stay in the topic and are not dead-lettered again by every restart
// and every replica.
func (u *updates) reject(ctx context.Context, live bool, version int64, cause error, recs ...*kgo.Record) {
	if len(recs) == 0 {
		return
	}
	first := recs[0]
	rej := Rejection{Version: version, Partition: first.Partition, Offset: first.Offset, Error: cause.Error(), At: time.Now()}
	u.mu.Lock()
	u.rejected = append(u.rejected, rej)
	u.mu.Unlock()
	u.m.modelRejected.Add(1)
	u.c.logf("rejected model update: topic %s partition %d offset %d: version %d: %v\n", first.Topic, first.Partition, first.Offset, version, cause)
	if !live {
		return
	}
	if u.dlq == nil {
		u.dlq = stream.NewDeadLetterWriter(u.c.brokers, u.c.modelTopic)
	}
	for _, r := range recs {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 4*u.c.brokerWait)
		err := u.dlq.Send(sctx, asMessage(r), cause)
		cancel()
		if err != nil {
			u.c.logf("%v\n", err)
			continue
		}
		u.m.deadLetters.Add(1)
	}
}

func (u *updates) history() (swaps []Swap, rejected []Rejection) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return slices.Clone(u.swaps), slices.Clone(u.rejected)
}

// fetchErr returns the first fetch error that is not the end of a poll.
func fetchErr(fs kgo.Fetches) error {
	for _, fe := range fs.Errors() {
		if errors.Is(fe.Err, context.DeadlineExceeded) || errors.Is(fe.Err, context.Canceled) {
			continue
		}
		if errors.Is(fe.Err, kgo.ErrClientClosed) {
			return errors.New("the Kafka client closed")
		}
		return fmt.Errorf("topic %s partition %d: %w", fe.Topic, fe.Partition, fe.Err)
	}
	return nil
}

// asMessage converts a record for the dead-letter writer (kafka-go).
func asMessage(r *kgo.Record) kafka.Message {
	m := kafka.Message{Topic: r.Topic, Partition: int(r.Partition), Offset: r.Offset, Key: r.Key, Value: r.Value, Time: r.Timestamp}
	for _, h := range r.Headers {
		m.Headers = append(m.Headers, kafka.Header{Key: h.Key, Value: h.Value})
	}
	return m
}
