package goxmtp_test

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/goxmtp/goxmtp"

// goPackage is the part of `go list -json` output the dependency rules need.
type goPackage struct {
	ImportPath string
	Deps       []string
	Imports    []string
	GoFiles    []string
	Dir        string
}

// listPackages runs `go list -deps=false -json` for patterns under the given GOOS/GOARCH.
func listPackages(t *testing.T, goos, goarch string, patterns ...string) []goPackage {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, patterns...)...)
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v (%s/%s): %v\n%s", patterns, goos, goarch, err, stderr.String())
	}
	var pkgs []goPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p goPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("decode go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// forbidden reports which of deps match a forbidden import path or prefix (a prefix ends in "/").
func forbidden(deps []string, rules ...string) []string {
	var hits []string
	for _, d := range deps {
		for _, r := range rules {
			if d == r || (strings.HasSuffix(r, "/") && strings.HasPrefix(d, r)) {
				hits = append(hits, d)
			}
		}
	}
	return hits
}

// TestDependencyRules enforces DESIGN.md's layering from the import graph itself.
func TestDependencyRules(t *testing.T) {
	t.Run("mls imports no I/O and nothing of XMTP", func(t *testing.T) {
		for _, target := range [][2]string{{"linux", "amd64"}, {"js", "wasm"}} {
			for _, p := range listPackages(t, target[0], target[1], "./mls/...") {
				// fmt reaches os (and syscall/js in js/wasm) transitively, so os and
				// syscall/js are checked as direct imports; the rest anywhere below.
				if hits := forbidden(p.Imports, "os", "syscall/js", "io/fs", "embed"); len(hits) > 0 {
					t.Errorf("%s (%s/%s) imports %v", p.ImportPath, target[0], target[1], hits)
				}
				if hits := forbidden(p.Deps, "net", "net/http", "google.golang.org/protobuf/",
					module+"/core", module+"/core/", module+"/proto/", module+"/node", module+"/node/",
					module+"/wasm", module+"/idbstore"); len(hits) > 0 {
					t.Errorf("%s (%s/%s) depends on %v", p.ImportPath, target[0], target[1], hits)
				}
			}
		}
	})
	t.Run("core never imports syscall/js", func(t *testing.T) {
		for _, p := range listPackages(t, "js", "wasm", "./core/...") {
			if hits := forbidden(p.Imports, "syscall/js"); len(hits) > 0 {
				t.Errorf("%s imports %v", p.ImportPath, hits)
			}
		}
	})
	t.Run("wasm links no net, TLS, SQLite or connectapi", func(t *testing.T) {
		for _, p := range listPackages(t, "js", "wasm", "./wasm/...", "./idbstore/...") {
			if hits := forbidden(p.Deps, "net", "net/http", "crypto/tls", module+"/core/connectapi",
				module+"/core/sqlitestore", "github.com/ncruces/go-sqlite3", "github.com/ncruces/go-sqlite3/",
				"connectrpc.com/connect", "github.com/coder/websocket"); len(hits) > 0 {
				t.Errorf("%s (js/wasm) depends on %v", p.ImportPath, hits)
			}
		}
	})
	t.Run("js/wasm links neither decred nor go-ethereum", func(t *testing.T) {
		// core/identity's own secp256k1 replaced them: 0.6 MB of brotli-compressed module.
		for _, p := range listPackages(t, "js", "wasm", "./wasm/...", "./core/...", "./mls/...", "./idbstore/...") {
			if hits := forbidden(p.Deps, "github.com/decred/", "github.com/ethereum/"); len(hits) > 0 {
				t.Errorf("%s (js/wasm) depends on %v", p.ImportPath, hits)
			}
		}
	})
}

// TestSyscallJSBuildTags checks that every file importing syscall/js is constrained to
// js && wasm, so the native build never sees it.
func TestSyscallJSBuildTags(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		if !importsPath(f, "syscall/js") {
			return nil
		}
		if len(f.Comments) == 0 || f.Comments[0].List[0].Text != "//go:build js && wasm" {
			t.Errorf("%s imports syscall/js without a leading //go:build js && wasm line", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func importsPath(f *ast.File, path string) bool {
	for _, imp := range f.Imports {
		if strings.Trim(imp.Path.Value, `"`) == path {
			return true
		}
	}
	return false
}
