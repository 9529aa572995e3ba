package linearmodel

import (
	"errors"

	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/models"
)

// glmOptions reads River's GLM parameters: optimizer (only "SGD"),
// optimizer.lr, l2, l1 (only 0: River's cumulative L1 penalty is not
// ported), intercept_init, intercept_lr and clip_gradient.
func glmOptions(p *models.Params) ([]Option, error) {
	p.OneOf("optimizer", "SGD", "SGD")
	opts := []Option{
		WithLearningRate(p.Sub("optimizer").Float("lr", 0.01)),
		WithL2(p.Float("l2", 0)),
		WithInterceptInit(p.Float("intercept_init", 0)),
		WithInterceptLR(p.Float("intercept_lr", 0.01)),
		WithClipGradient(p.Float("clip_gradient", 1e12)),
	}
	if p.Float("l1", 0) != 0 {
		return nil, errors.New("l1: River's cumulative L1 penalty is not implemented; use l2")
	}
	return opts, nil
}

func init() {
	models.Register(models.Entry{
		Name:      "logistic-regression",
		RiverName: "LogisticRegression",
		Description: "River's linear_model.LogisticRegression: binary log-loss SGD " +
			"(optimizer.lr=0.01, intercept_lr=0.01, l2=0, clip_gradient=1e12, loss.weight_pos/weight_neg=1)",
		Classifier: func(p *models.Params, _ *feature.Schema) (base.Classifier, error) {
			opts, err := glmOptions(p)
			if err != nil {
				return nil, err
			}
			loss := p.Sub("loss")
			if loss.Has("weight_pos") || loss.Has("weight_neg") {
				opts = append(opts, WithClassWeights(loss.Float("weight_pos", 1), loss.Float("weight_neg", 1)))
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			return NewLogisticRegression(opts...)
		},
	})
	models.Register(models.Entry{
		Name:        "linear-regression",
		RiverName:   "LinearRegression",
		Description: "River's linear_model.LinearRegression: squared-loss SGD (optimizer.lr=0.01, intercept_lr=0.01, l2=0, clip_gradient=1e12)",
		Regressor: func(p *models.Params, _ *feature.Schema) (base.Regressor, error) {
			opts, err := glmOptions(p)
			if err != nil {
				return nil, err
			}
			if err := p.Err(); err != nil {
				return nil, err
			}
			return NewLinearRegression(opts...)
		},
	})
}
