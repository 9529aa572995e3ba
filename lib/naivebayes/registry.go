package naivebayes

import (
	"github.com/rivulet-ml/rivulet/lib/base"
	"github.com/rivulet-ml/rivulet/lib/feature"
	"github.com/rivulet-ml/rivulet/lib/models"
)

func init() {
	models.Register(models.Entry{
		Name:        "gaussian-nb",
		RiverName:   "GaussianNB",
		Description: "River's naive_bayes.GaussianNB: per-class Gaussian (population variance) likelihoods with 1e-9 added to each density; no parameters",
		Classifier: func(p *models.Params, _ *feature.Schema) (base.Classifier, error) {
			return NewGaussianNB(), nil
		},
	})
	models.Register(models.Entry{
		Name:        "bernoulli-nb",
		RiverName:   "BernoulliNB",
		Description: "River's naive_bayes.BernoulliNB: binarised features (value > true_threshold=0.0), additive smoothing alpha=1.0, every seen feature counted",
		Classifier: func(p *models.Params, _ *feature.Schema) (base.Classifier, error) {
			opts := []BernoulliOption{WithAlpha(p.Float("alpha", 1)), WithTrueThreshold(p.Float("true_threshold", 0))}
			if err := p.Err(); err != nil {
				return nil, err
			}
			return NewBernoulliNB(opts...)
		},
	})
}
