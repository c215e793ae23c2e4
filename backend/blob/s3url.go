package blob

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// s3Location is a parsed Config.S3 URL.
type s3Location struct {
	endpoint       string // host or host:port
	access, secret string
	bucket         string
	secure         bool // HTTPS
	region         string
}

// parseS3URL parses Config.S3 strictly:
//
//	s3://ACCESS:SECRET@host[:port]/bucket[?secure=false][&region=NAME]
//
// Both keys are required (percent-encode reserved characters); the path is
// exactly one bucket name; secure (default true) chooses HTTPS; region is
// passed to the client (default: asked from the server). Anything else is
// refused. Errors never repeat the secret.
func parseS3URL(raw string) (s3Location, error) {
	var loc s3Location
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error quotes the URL, secret included: say only what is wrong.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return loc, fmt.Errorf("blob: S3 URL: %w", err)
	}
	if u.Scheme != "s3" {
		return loc, errors.New("blob: S3 URL: scheme must be s3://")
	}
	if u.Opaque != "" || u.Host == "" || u.Fragment != "" {
		return loc, errors.New("blob: S3 URL: want s3://ACCESS:SECRET@host[:port]/bucket")
	}
	loc.endpoint = u.Host
	if u.User != nil {
		loc.access = u.User.Username()
		loc.secret, _ = u.User.Password()
	}
	if loc.access == "" || loc.secret == "" {
		return loc, errors.New("blob: S3 URL: needs ACCESS:SECRET@ before the host")
	}
	loc.bucket = strings.TrimPrefix(u.Path, "/")
	if loc.bucket == "" || strings.Contains(loc.bucket, "/") {
		return loc, errors.New("blob: S3 URL: the path must be exactly one bucket name")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return loc, fmt.Errorf("blob: S3 URL: query: %w", err)
	}
	loc.secure = true
	for k, v := range q {
		if len(v) != 1 {
			return loc, fmt.Errorf("blob: S3 URL: %s given %d times", k, len(v))
		}
		switch k {
		case "secure":
			if loc.secure, err = strconv.ParseBool(v[0]); err != nil {
				return loc, fmt.Errorf("blob: S3 URL: secure=%q is not a boolean", v[0])
			}
		case "region":
			loc.region = v[0]
		default:
			return loc, fmt.Errorf("blob: S3 URL: unknown parameter %q (want secure, region)", k)
		}
	}
	return loc, nil
}
