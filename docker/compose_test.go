// Package docker_test checks the Docker route (docker/Dockerfile,
// docker/compose.yaml) on machines without a Docker engine: the compose
// file is validated by `docker compose config` with the Compose plugin
// pinned in environment/compose (built on first use, minutes once), the
// Dockerfile against the repository it builds, and Kafka's settings against
// the broker's own list of keys.
package docker_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

const composeFile = "compose.yaml"

// composeScript builds the pinned plugin and runs docker compose.
var composeScript = filepath.Join("..", "environment", "compose", "compose.sh")

// config is the part of `docker compose config --format json` checked here.
type config struct {
	Name     string `json:"name"`
	Services map[string]struct {
		Image string `json:"image"`
		Build *struct {
			Context    string `json:"context"`
			Dockerfile string `json:"dockerfile"`
		} `json:"build"`
		Command     []string          `json:"command"`
		Environment map[string]string `json:"environment"`
		Ports       []struct {
			HostIP    string `json:"host_ip"`
			Target    int    `json:"target"`
			Published string `json:"published"`
		} `json:"ports"`
		Volumes []struct {
			Type   string `json:"type"`
			Source string `json:"source"`
			Target string `json:"target"`
		} `json:"volumes"`
		DependsOn map[string]struct {
			Condition string `json:"condition"`
		} `json:"depends_on"`
		Healthcheck *struct {
			Test []string `json:"test"`
		} `json:"healthcheck"`
	} `json:"services"`
	Volumes map[string]any `json:"volumes"`
}

// composeConfig runs `docker compose -f compose.yaml config --format json`
// through environment/compose/compose.sh, building the plugin if needed.
func composeConfig(t *testing.T) config {
	t.Helper()
	if _, err := exec.LookPath("docker"); err != nil {
		t.Skip("SKIP: the docker client is not installed, so docker/compose.yaml is not validated (install the docker CLI; no engine is needed)")
	}
	// Read the file here too: go test's cache then notices when it changes.
	if _, err := os.ReadFile(composeFile); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if d, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-30*time.Second))
		defer cancel()
	}
	build := exec.CommandContext(ctx, composeScript, "build")
	if out, err := build.CombinedOutput(); err != nil {
		if ctx.Err() != nil {
			t.Skipf("SKIP: building the Compose plugin did not finish within this test's time limit; run `environment/compose/compose.sh build` once (a few minutes), then test again\n%s", out)
		}
		t.Fatalf("environment/compose/compose.sh build: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(ctx, composeScript, "-f", composeFile, "config", "--format", "json")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("docker compose config: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var c config
	if err := json.Unmarshal(out, &c); err != nil {
		t.Fatalf("docker compose config printed no JSON: %v\n%s", err, out)
	}
	return c
}

// TestComposeConfig validates compose.yaml and checks what the README
// promises about it.
func TestComposeConfig(t *testing.T) {
	c := composeConfig(t)
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"kafka", "jupyter", "serve"} {
		s, ok := c.Services[name]
		if !ok {
			t.Fatalf("no service %q in %v", name, c.Services)
		}
		if s.Healthcheck == nil || len(s.Healthcheck.Test) == 0 {
			t.Errorf("service %s has no health check", name)
		}
		for _, p := range s.Ports {
			if p.HostIP != "127.0.0.1" {
				t.Errorf("service %s publishes port %d on %q: only 127.0.0.1 is allowed", name, p.Target, p.HostIP)
			}
		}
		if name == "kafka" {
			continue
		}
		if s.Environment["RIVULET_BROKERS"] != "kafka:19092" {
			t.Errorf("service %s: RIVULET_BROKERS=%q, want the container listener kafka:19092", name, s.Environment["RIVULET_BROKERS"])
		}
		if s.DependsOn["kafka"].Condition != "service_healthy" {
			t.Errorf("service %s does not wait for a healthy kafka: %+v", name, s.DependsOn)
		}
		if s.Build == nil || s.Build.Context != root || s.Build.Dockerfile != "docker/Dockerfile" || s.Image != "rivulet:dev" {
			t.Errorf("service %s: image %q built from %+v; want rivulet:dev from docker/Dockerfile in %s", name, s.Image, s.Build, root)
		}
	}
	k := c.Services["kafka"]
	if k.Image != "apache/kafka:4.3.1" {
		t.Errorf("kafka image %q", k.Image)
	}
	for key, want := range map[string]string{
		"KAFKA_PROCESS_ROLES":        "broker,controller",
		"KAFKA_LISTENERS":            "PLAINTEXT://:19092,CONTROLLER://:29093,PLAINTEXT_HOST://:9092",
		"KAFKA_ADVERTISED_LISTENERS": "PLAINTEXT://kafka:19092,PLAINTEXT_HOST://localhost:9092",
		"KAFKA_LOG_DIRS":             "/var/lib/kafka/data",
	} {
		if k.Environment[key] != want {
			t.Errorf("kafka %s=%q, want %q", key, k.Environment[key], want)
		}
	}
	if len(k.Ports) != 1 || k.Ports[0].Target != 9092 || k.Ports[0].Published != "9092" {
		t.Errorf("kafka ports %+v: want the host listener on 127.0.0.1:9092", k.Ports)
	}
	if len(k.Volumes) != 1 || k.Volumes[0].Type != "volume" || k.Volumes[0].Source != "kafka-data" || k.Volumes[0].Target != "/var/lib/kafka/data" {
		t.Errorf("kafka volumes %+v: want the kafka-data volume on /var/lib/kafka/data", k.Volumes)
	}
	if _, ok := c.Volumes["kafka-data"]; !ok {
		t.Errorf("volume kafka-data not declared: %v", c.Volumes)
	}
	s := c.Services["serve"]
	if cmd := strings.Join(s.Command, " "); !strings.HasPrefix(cmd, "rivulet serve ") || !strings.Contains(cmd, "--http=0.0.0.0:8080") {
		t.Errorf("serve command %q", cmd)
	}
	if j := c.Services["jupyter"]; len(j.Ports) != 1 || j.Ports[0].Target != 8888 {
		t.Errorf("jupyter ports %+v", j.Ports)
	}
}

// TestKafkaSettingsAreBrokerKeys turns the kafka service's KAFKA_*
// variables into the server.properties the image derives from them and
// asks the broker's own ConfigDef (Apache Kafka's jars from
// environment/kafka) whether it knows every key: a misspelt variable would
// otherwise be ignored silently.
func TestKafkaSettingsAreBrokerKeys(t *testing.T) {
	libs := filepath.Join("..", "environment", "kafka", "libs")
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("SKIP: no java; the Kafka settings of compose.yaml are not checked against the broker's keys")
	}
	if jars, _ := filepath.Glob(filepath.Join(libs, "kafka_*.jar")); len(jars) == 0 {
		t.Skipf("SKIP: no Kafka jars in %s (environment/kafka/kafka.sh fetch downloads them)", libs)
	}
	env := kafkaEnvironment(t)
	if len(env) < 15 {
		t.Fatalf("only %d KAFKA_ variables found in %s", len(env), composeFile)
	}
	var props strings.Builder
	for k, v := range env {
		props.WriteString(propertyName(k) + "=" + v + "\n")
	}
	path := filepath.Join(t.TempDir(), "server.properties")
	if err := os.WriteFile(path, []byte(props.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	check, err := filepath.Abs(filepath.Join("..", "environment", "kafka", "CheckConfig.java"))
	if err != nil {
		t.Fatal(err)
	}
	absLibs, _ := filepath.Abs(libs)
	out, err := exec.Command("java", "-cp", absLibs+"/*", check, path).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s\nproperties:\n%s", err, out, props.String())
	}
	if !strings.Contains(string(out), "all "+strconv.Itoa(len(env))+" keys are broker configs") {
		t.Errorf("CheckConfig: %s", out)
	}
}

func TestPropertyName(t *testing.T) {
	for env, prop := range map[string]string{
		"KAFKA_LOG_DIRS":                       "log.dirs",
		"KAFKA_NODE_ID":                        "node.id",
		"KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "listener.security.protocol.map",
		"KAFKA_A__B":                           "a_b",
		"KAFKA_A___B":                          "a-b",
	} {
		if got := propertyName(env); got != prop {
			t.Errorf("%s -> %q, want %q", env, got, prop)
		}
	}
}

// propertyName undoes the apache/kafka image's naming of settings as
// variables: KAFKA_ prefix, '.' as '_', '_' as '__', '-' as '___'.
func propertyName(env string) string {
	s := strings.ToLower(strings.TrimPrefix(env, "KAFKA_"))
	s = strings.ReplaceAll(s, "___", "\x00")
	s = strings.ReplaceAll(s, "__", "\x01")
	s = strings.ReplaceAll(s, "_", ".")
	s = strings.ReplaceAll(s, "\x01", "_")
	return strings.ReplaceAll(s, "\x00", "-")
}

// kafkaEnvironment reads the kafka service's KAFKA_* settings from
// compose.yaml (its "KEY: value" lines; the file is plain YAML here).
func kafkaEnvironment(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(composeFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	line := regexp.MustCompile(`^\s+(KAFKA_[A-Z0-9_]+):\s*(.*?)\s*$`)
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := line.FindStringSubmatch(sc.Text()); m != nil {
			env[m[1]] = strings.Trim(m[2], `"`)
		}
	}
	return env
}

// TestDockerfileFollowsTheMakeRoute checks the Dockerfile against the
// repository: it builds through the Makefile's targets and setup.sh (the
// steps CI exercises), as a non-root user, with a Go at least as new as
// go.mod asks, and JupyterLab on all of the container's interfaces.
func TestDockerfileFollowsTheMakeRoute(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(b)
	makefile, err := os.ReadFile(filepath.Join("..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range regexp.MustCompile(`(?:RUN|&&)\s+make ([a-z-]+)`).FindAllStringSubmatch(df, -1) {
		if !regexp.MustCompile(`(?m)^` + target[1] + `:`).Match(makefile) {
			t.Errorf("the Dockerfile runs `make %s`, which the Makefile does not have", target[1])
		}
	}
	for _, want := range []string{"make setup", "make rivulet", "environment/setup.sh --lab", "\nUSER rivulet\n", `"--ServerApp.ip=0.0.0.0"`} {
		if !strings.Contains(df, want) {
			t.Errorf("the Dockerfile lacks %q", want)
		}
	}
	if i, j := strings.Index(df, "\nUSER rivulet\n"), strings.Index(df, "RUN make setup"); i < 0 || j < i {
		t.Error("make setup must run as the unprivileged user")
	}
	for _, m := range regexp.MustCompile(`(?m)^COPY --chown=\S+ (.+) \S+$`).FindAllStringSubmatch(df, -1) {
		for _, src := range strings.Fields(m[1]) {
			if _, err := os.Stat(filepath.Join("..", src)); err != nil {
				t.Errorf("COPY %s: %v", src, err)
			}
		}
	}
	gomod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)`).FindSubmatch(gomod)
	have := regexp.MustCompile(`ARG GO_VERSION=(\d+)\.(\d+)\.\d+`).FindStringSubmatch(df)
	if want == nil || have == nil {
		t.Fatalf("go directive %q, Dockerfile GO_VERSION %q", want, have)
	}
	if atoi(have[1]) != atoi(string(want[1])) || atoi(have[2]) < atoi(string(want[2])) {
		t.Errorf("Dockerfile Go %s.%s is older than go.mod's go %s.%s", have[1], have[2], want[1], want[2])
	}
	ignore, err := os.ReadFile("Dockerfile.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{".venv", ".bin", ".jupyter", ".rivulet", "out", "environment/kafka/libs", "environment/kafka/data", ".git"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(dir) + `$`).Match(ignore) {
			t.Errorf("Dockerfile.dockerignore does not keep %s out of the build context", dir)
		}
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
