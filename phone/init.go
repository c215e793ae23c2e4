package phone

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	dirclient "github.com/kurier/kurier/backend/directory/client"
	"github.com/kurier/kurier/phone/store"
	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/provisioning"
)

// Init creates the phone's identity in dataDir: it generates the key pair,
// registers it with the directory of backendFile (proving possession of the
// secret key), stores the identity (right after the registration, so a
// later failure loses no ID), announces Features and returns the new ID.
// The copy of backend.json is written before anything is registered. If
// only announcing the features fails, Init returns the stored ID together
// with the error.
func Init(ctx context.Context, dataDir, backendFile, nickname string, opts ...Option) (string, error) {
	o := buildOptions(opts)
	prov, err := provisioning.Load(backendFile)
	if err != nil {
		return "", fmt.Errorf("phone: init: %w", err)
	}
	kp, err := cryptobox.GenerateKeyPair(o.rand)
	if err != nil {
		return "", fmt.Errorf("phone: init: %w", err)
	}
	return initWith(ctx, dataDir, prov, kp, "", nickname, o)
}

// initWith stores an identity; id is empty for a new one, which is then
// registered with the directory.
func initWith(ctx context.Context, dataDir string, prov *provisioning.File, kp cryptobox.KeyPair, id, nickname string, o options) (string, error) {
	st, err := store.Open(ctx, filepath.Join(dataDir, DatabaseFile))
	if err != nil {
		return "", fmt.Errorf("phone: init: %w", err)
	}
	defer func() { _ = st.Close() }()
	if _, err := st.Identity(ctx); err == nil {
		return "", ErrAlreadyInitialized
	} else if !errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("phone: init: %w", err)
	}
	dirc, err := dirclient.New(prov.Directory.URL)
	if err != nil {
		return "", fmt.Errorf("phone: init: %w", err)
	}
	// Everything that can fail locally comes before the registration, and
	// the new identity is stored right after it: a failure later on must not
	// lose an ID the directory already gave out.
	if err := provisioning.Write(filepath.Join(dataDir, BackendFile), prov); err != nil {
		return "", fmt.Errorf("phone: init: %w", err)
	}
	fresh := id == ""
	if fresh {
		if id, err = dirc.Create(ctx, kp); err != nil {
			return "", fmt.Errorf("phone: init: register: %w", err)
		}
	} else {
		got, err := dirc.LookupIdentity(ctx, id)
		if err != nil {
			return "", fmt.Errorf("phone: import: %w", err)
		}
		if !got.PublicKey.Equal(kp.Public) {
			return "", fmt.Errorf("phone: import: the directory has another key for %s: %w", id, ErrBackup)
		}
	}
	if err := st.SetIdentity(ctx, store.Identity{ID: id, Key: kp, Nickname: nickname, CreatedAt: o.now()}); err != nil {
		return "", fmt.Errorf("phone: init: %w", err)
	}
	if fresh {
		if err := dirc.SetFeatureMask(ctx, id, kp, Features); err != nil {
			// The identity is stored and usable; peers see no features yet.
			return id, fmt.Errorf("phone: init: %s stored, but announcing its features failed: %w", id, err)
		}
	}
	o.log.Info("identity created", "component", "phone", "identity", id)
	return id, nil
}
