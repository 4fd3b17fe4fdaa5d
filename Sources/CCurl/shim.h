#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: these typed
   wrappers are the only ways Capstan sets an option or reads a result. */

typedef size_t (*capstan_curl_data_callback)(char *data, size_t size, size_t count, void *context);
typedef int (*capstan_curl_progress_callback)(void *context, curl_off_t download_total, curl_off_t downloaded,
                                              curl_off_t upload_total, curl_off_t uploaded);

static inline CURLcode capstan_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode capstan_curl_set_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/* libcurl copies string options (except CURLOPT_POSTFIELDS, which Capstan never uses). */
static inline CURLcode capstan_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode capstan_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode capstan_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *list) {
    return curl_easy_setopt(handle, option, list);
}

/* A PEM certificate or key held in memory; libcurl copies it (CURL_BLOB_COPY). */
static inline CURLcode capstan_curl_set_blob(CURL *handle, CURLoption option, const void *data, size_t length) {
    struct curl_blob blob = { (void *)data, length, CURL_BLOB_COPY };
    return curl_easy_setopt(handle, option, &blob);
}

static inline CURLcode capstan_curl_set_data_callback(CURL *handle, CURLoption option, capstan_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode capstan_curl_set_progress_callback(CURL *handle, capstan_curl_progress_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode capstan_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/* CURL_GLOBAL_DEFAULT is a macro built of other macros; named here once. */
static inline CURLcode capstan_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static const long capstan_curl_http_version_2tls = CURL_HTTP_VERSION_2TLS;
