package ensemble

import (
	"fmt"
	"strings"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/drift"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/models"
)

const srpParamsDoc = "n_models=10 subspace_size=0.6|int|sqrt|rmsqrt training_method=patches|subspaces|resampling " +
	"lam=6 drift_detector.delta=1e-5 warning_detector.delta=1e-4 disable_detector=off|drift|warning " +
	"disable_weighted_vote=false seed=none weighted_learning=false (rivulet: MOA's single update of weight k " +
	"instead of River's k updates) workers=1 (rivulet: members on n goroutines, same results). " +
	"The base model: model=NAME (any registered classifier: ht, hat, gaussian-nb, bernoulli-nb, ...; " +
	"default ht with grace_period=50 delta=0.01) and its parameters as model.PARAM=VALUE, e.g. " +
	"model=hat model.grace_period=100."

func init() {
	models.Register(models.Entry{
		Name:        "srp",
		RiverName:   "SRPClassifier",
		Description: "River's ensemble.SRPClassifier (streaming random patches). " + srpParamsDoc,
		Classifier:  srpFactory,
	})
	models.Register(models.Entry{
		Name:      "srp-hat",
		RiverName: "SRPClassifierHAT",
		Description: "The original project's SRPClassifier(model=HoeffdingAdaptiveTreeClassifier(grace_period=100, " +
			"delta=1e-5, leaf_prediction='nb', nb_threshold=10, seed=0), seed=42); parameters as srp",
		Classifier: srpFactory,
		Preset: []string{"model=hat", "model.grace_period=100", "model.delta=1e-5", "model.leaf_prediction=nb",
			"model.nb_threshold=10", "model.seed=0", "seed=42"},
	})
	models.Register(models.Entry{
		Name:        "srp-nb",
		RiverName:   "SRPClassifierNaiveBayes",
		Description: "The original project's SRPClassifier(model=naive_bayes.BernoulliNB(alpha=1), seed=42); parameters as srp",
		Classifier:  srpFactory,
		Preset:      []string{"model=bernoulli-nb", "model.alpha=1", "seed=42"},
	})
	models.Register(models.Entry{
		Name:      "leveraging-bagging",
		RiverName: "LeveragingBaggingClassifier",
		Description: "River's ensemble.LeveragingBaggingClassifier: n_models=10 w=6 adwin_delta=0.002 " +
			"bagging_method=bag|wt|subag|half|me seed=none workers=1; model=NAME and model.PARAM=VALUE " +
			"(required: River has no default model)",
		Classifier: func(p *models.Params, s *feature.Schema) (base.Classifier, error) {
			m, err := subModel(p, s, false)
			if err != nil {
				return nil, err
			}
			opts := []BaggingOption{
				WithBaggingModels(p.Int("n_models", 10)),
				WithBaggingLambda(p.Float("w", 6)),
				WithBaggingADWINDelta(p.Float("adwin_delta", 0.002)),
				WithBaggingWorkers(p.Int("workers", 1)),
			}
			method, err := ParseBaggingMethod(p.String("bagging_method", "bag"))
			if err != nil {
				p.Fail("bagging_method", "bag, wt, subag, half or me")
			}
			opts = append(opts, WithBaggingMethod(method))
			if seed, ok := p.OptionalInt("seed"); ok {
				opts = append(opts, WithBaggingSeed(int64(seed)))
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			return NewLeveragingBagging(m, opts...)
		},
	})
	models.Register(models.Entry{
		Name:      "adwin-bagging",
		RiverName: "ADWINBaggingClassifier",
		Description: "River's ensemble.ADWINBaggingClassifier: n_models=10 seed=none workers=1; " +
			"model=NAME and model.PARAM=VALUE (required)",
		Classifier: func(p *models.Params, s *feature.Schema) (base.Classifier, error) {
			m, err := subModel(p, s, false)
			if err != nil {
				return nil, err
			}
			opts := []BaggingOption{
				WithBaggingModels(p.Int("n_models", 10)),
				WithBaggingWorkers(p.Int("workers", 1)),
			}
			if seed, ok := p.OptionalInt("seed"); ok {
				opts = append(opts, WithBaggingSeed(int64(seed)))
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			return NewADWINBagging(m, opts...)
		},
	})
}

// htDefaultParams are the Hoeffding tree parameters copied into SRP's
// default base model, so that "model.grace_period=..." works without
// "model=ht".
var htParamNames = []string{"grace_period", "delta", "tau", "split_criterion", "leaf_prediction", "nb_threshold",
	"nominal_attributes", "max_depth", "n_splits", "binary_split", "min_branch_fraction", "max_share_to_split",
	"max_size", "memory_estimate_period", "stop_mem_management", "remove_poor_attrs", "merit_preprune"}

// subModel builds the base model named by "model" from the "model."
// parameters. Without "model", SRP's default is River's
// HoeffdingTreeClassifier(grace_period=50, delta=0.01) (withDefault), and
// the other ensembles fail: River requires their model.
func subModel(p *models.Params, s *feature.Schema, withDefault bool) (base.Classifier, error) {
	name := p.String("model", "")
	sub := p.Sub("model")
	if name == "" {
		if !withDefault {
			return nil, fmt.Errorf("parameter model is required (e.g. model=ht, model=gaussian-nb)")
		}
		kv := []string{"grace_period=50", "delta=0.01"}
		for _, n := range htParamNames {
			if sub.Has(n) {
				kv = append(kv, n+"="+sub.String(n, ""))
			}
		}
		q, err := models.ParseParams(kv)
		if err != nil {
			return nil, err
		}
		e, ok := models.Lookup("ht")
		if !ok || e.Classifier == nil {
			return nil, fmt.Errorf("SRP's default base model (ht) is not linked in; import lib/tree or pass model=NAME")
		}
		m, err := e.Classifier(q, s)
		if err == nil {
			err = q.Finish()
		}
		if err != nil {
			return nil, fmt.Errorf("model (ht): %w", err)
		}
		return m, nil
	}
	e, ok := models.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("model=%s: unknown model; known models: %s", name, strings.Join(models.Names(), ", "))
	}
	if e.Classifier == nil {
		return nil, fmt.Errorf("model=%s is not a classifier", name)
	}
	if len(e.Preset) > 0 {
		return nil, fmt.Errorf("model=%s is a preset; name the model itself and pass its parameters as model.PARAM", name)
	}
	m, err := e.Classifier(sub, s)
	if err != nil {
		return nil, fmt.Errorf("model=%s: %w", name, err)
	}
	return m, nil
}

func srpFactory(p *models.Params, s *feature.Schema) (base.Classifier, error) {
	m, err := subModel(p, s, true)
	if err != nil {
		return nil, err
	}
	opts := []SRPOption{
		WithModel(m),
		WithNModels(p.Int("n_models", 10)),
		WithLambda(p.Float("lam", 6)),
		WithDisableWeightedVote(p.Bool("disable_weighted_vote", false)),
		WithWeightedLearning(p.Bool("weighted_learning", false)),
		WithWorkers(p.Int("workers", 1)),
	}
	if z, err := ParseSubspaceSize(p.String("subspace_size", "0.6")); err != nil {
		p.Fail("subspace_size", "a float in (0, 1], an int > 2 or negative, sqrt or rmsqrt")
	} else {
		opts = append(opts, WithSubspaceSize(z))
	}
	if t, err := ParseTrainingMethod(p.String("training_method", "patches")); err != nil {
		p.Fail("training_method", "patches, subspaces or resampling")
	} else {
		opts = append(opts, WithTrainingMethod(t))
	}
	if dm, err := ParseDetectorMode(p.String("disable_detector", "off")); err != nil {
		p.Fail("disable_detector", "off, drift or warning")
	} else {
		opts = append(opts, WithDetectorMode(dm))
	}
	if d := adwinParam(p, "drift_detector", 1e-5); d != nil {
		opts = append(opts, WithDriftDetector(d))
	}
	if d := adwinParam(p, "warning_detector", 1e-4); d != nil {
		opts = append(opts, WithWarningDetector(d))
	}
	if seed, ok := p.OptionalInt("seed"); ok {
		opts = append(opts, WithSeed(int64(seed)))
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return NewSRPClassifier(opts...)
}

// adwinParam reads "name.delta" into an ADWIN (nil when absent: the
// default applies).
func adwinParam(p *models.Params, name string, def float64) drift.Detector {
	sub := p.Sub(name)
	if !sub.Has("delta") {
		return nil
	}
	a, err := drift.BuildADWIN(drift.WithDelta(sub.Float("delta", def)))
	if err != nil {
		p.Fail(name+".delta", "a number in (0, 1)")
		return nil
	}
	return a
}
