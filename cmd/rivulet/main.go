// Command rivulet runs every rivulet workflow from a shell: the embedded
// broker, producers, learners and consumers, the scoring service, throughput
// measurement and evaluation. Run `rivulet help` for the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand. Subcommands with a second word (produce linear,
// consume urls) register as "produce linear".
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string) error
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("rivulet: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// errUsage marks errors caused by bad arguments (exit status 2).
var errUsage = errors.New("usage error")

func usage() {
	fmt.Fprintln(os.Stderr, "usage: rivulet <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-18s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun `rivulet <command> -h` for a command's flags.")
	fmt.Fprintln(os.Stderr, "The broker list comes from --brokers or RIVULET_BROKERS (default 127.0.0.1:9092).")
}

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage()
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	name, rest := args[0], args[1:]
	c, ok := commands[name]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		if c2, ok2 := commands[name+" "+rest[0]]; ok2 {
			c, ok, rest = c2, true, rest[1:]
		}
	}
	if !ok {
		var subs []string
		for n := range commands {
			if strings.HasPrefix(n, name+" ") {
				subs = append(subs, strings.TrimPrefix(n, name+" "))
			}
		}
		if len(subs) > 0 {
			sort.Strings(subs)
			fmt.Fprintf(os.Stderr, "rivulet %s: want one of: %s\n", name, strings.Join(subs, ", "))
		} else {
			fmt.Fprintf(os.Stderr, "rivulet: unknown command %q\n\n", name)
			usage()
		}
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := c.run(ctx, rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(os.Stderr, "rivulet %s: %v\n", c.name, err)
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	return 0
}

// newFlags returns a flag set for a command that reports errors as usage
// errors instead of exiting.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("rivulet "+name, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	return fs
}

// parseFlags parses args and wraps failures as usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	return nil
}

// multiFlag collects a repeatable flag such as --param name=value.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }
