package urls

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// WithLocalProducer makes Consume produce src itself: once the consumer is
// positioned on its partitions (after the WithReady callback), Produce
// starts in the background writing src to the consumer's brokers and topic
// with opts (WithThrottle, WithMaxSize, WithProduceLog, …; the broker wait
// is the consumer's unless opts set it). Reading from Latest, every record
// produced is read live, as when the original's producer notebook was run
// by hand after the consumer's.
//
// When the consumer ends, the producer is given its pause after a burst and
// the broker wait to finish (it normally has only its final flush left
// then), and is stopped after that; when the consumer fails it is stopped
// at once. Summary.Produced says what it sent; a producer failure is part
// of Consume's error. Nothing keeps running after Consume returns.
func WithLocalProducer(src Records, opts ...ProduceOption) ConsumeOption {
	return consumeOpt(func(c *consumeConfig) { c.localSrc, c.localOpts = src, opts })
}

// localProducer is the producer a Consume runs with WithLocalProducer.
type localProducer struct {
	ctx    context.Context
	cancel context.CancelFunc
	src    Records
	opts   []ProduceOption
	grace  time.Duration

	started bool
	done    chan struct{}
	res     ProduceResult
	err     error
}

// newLocalProducer prepares the producer of c, or returns nil without one.
func newLocalProducer(ctx context.Context, c *consumeConfig) *localProducer {
	if c.localSrc == nil {
		return nil
	}
	opts := append([]ProduceOption{WithBrokers(c.brokers...), WithTopic(c.topic), WithBrokerWait(c.brokerWait)}, c.localOpts...)
	// The producer's own pause and broker wait bound how long its end may
	// lag behind the consumer's.
	pc := produceConfig{sleep: DefaultSleep}
	for _, o := range opts {
		o.applyProduce(&pc)
	}
	pctx, cancel := context.WithCancel(ctx)
	return &localProducer{ctx: pctx, cancel: cancel, src: c.localSrc, opts: opts,
		grace: max(pc.sleep, 0) + pc.brokerWait, done: make(chan struct{})}
}

func (p *localProducer) start() {
	if p == nil || p.started {
		return
	}
	p.started = true
	go func() {
		defer close(p.done)
		p.res, p.err = Produce(p.ctx, p.src, p.opts...)
	}()
}

// finish waits for the producer (up to its grace period when the consumer
// ended well, not at all when it failed), stops it and returns what it
// sent.
func (p *localProducer) finish(consumeOK bool) (*ProduceResult, error) {
	if p == nil {
		return nil, nil
	}
	defer p.cancel()
	if !p.started {
		return nil, nil
	}
	stopped := false
	if consumeOK {
		t := time.NewTimer(p.grace)
		select {
		case <-p.done:
		case <-t.C:
			stopped = true
		}
		t.Stop()
	} else {
		stopped = true
	}
	p.cancel()
	<-p.done
	res := p.res
	if p.err != nil && !(stopped && errors.Is(p.err, context.Canceled)) {
		return &res, fmt.Errorf("urls: the local producer: %w", p.err)
	}
	return &res, nil
}
