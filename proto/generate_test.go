//go:build !js

package proto_test

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedCodeIsCurrent regenerates every .proto file into a temporary folder with the
// pinned tools (`make proto`) and fails when the committed Go code differs, so nobody edits
// generated code by hand or forgets to regenerate.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	if _, err := exec.LookPath("protoc"); err != nil {
		t.Fatal("protoc is missing: run `make deps` (installs Debian's protobuf-compiler)")
	}
	out := t.TempDir()
	cmd := exec.Command("make", "-s", "proto", "PROTO_OUT="+out)
	cmd.Dir = ".."
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make proto: %v\n%s", err, msg)
	}
	generated := map[string]bool{}
	err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		generated[rel] = true
		want, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		got, err := os.ReadFile(filepath.Join("..", rel))
		if err != nil {
			t.Errorf("%s is generated but not committed: run `make proto`", rel)
			return nil
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what `make proto` generates: regenerate it", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every committed generated file must still have a source.
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".pb.go") || strings.HasSuffix(path, ".connect.go")) {
			return err
		}
		if rel := filepath.Join("proto", path); !generated[rel] {
			t.Errorf("%s has no .proto source any more: delete it", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
