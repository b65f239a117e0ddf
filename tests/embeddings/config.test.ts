import { describe, expect, it } from "vitest";
import { ConfigError, loadEmbeddingsConfig } from "../../src/config.js";

describe("embeddings config", () => {
  it("is null when unset or empty: lexical search only", () => {
    expect(loadEmbeddingsConfig({})).toBeNull();
    expect(loadEmbeddingsConfig({ EMBEDDINGS_URL: "", EMBEDDINGS_MODEL: "", EMBEDDINGS_API_KEY: "" })).toBeNull();
  });

  it("takes the full endpoint or its /v1 base, and resolves the cache file", () => {
    const endpoint = { url: "http://localhost:11434/v1/embeddings", model: "nomic-embed-text", apiKey: undefined, cacheFile: "/srv/agora/data/embeddings.sqlite" };
    expect(loadEmbeddingsConfig({ EMBEDDINGS_URL: "http://localhost:11434/v1/embeddings", EMBEDDINGS_MODEL: "nomic-embed-text" }, "/srv/agora")).toEqual(endpoint);
    expect(loadEmbeddingsConfig({ EMBEDDINGS_URL: "http://localhost:11434/v1/", EMBEDDINGS_MODEL: "nomic-embed-text" }, "/srv/agora")).toEqual(endpoint);
    expect(
      loadEmbeddingsConfig({ EMBEDDINGS_URL: "https://api.openai.com/v1", EMBEDDINGS_MODEL: "text-embedding-3-small", EMBEDDINGS_API_KEY: "sk-x", EMBEDDINGS_CACHE_PATH: "cache/v.sqlite" }, "/srv/agora"),
    ).toEqual({ url: "https://api.openai.com/v1/embeddings", model: "text-embedding-3-small", apiKey: "sk-x", cacheFile: "/srv/agora/cache/v.sqlite" });
    expect(loadEmbeddingsConfig({ EMBEDDINGS_URL: "http://localhost:1234/v1", EMBEDDINGS_MODEL: "m", EMBEDDINGS_CACHE_PATH: ":memory:" }, "/srv/agora")?.cacheFile).toBe(":memory:");
  });

  it("names the missing half when only one of URL and model is set", () => {
    expect(() => loadEmbeddingsConfig({ EMBEDDINGS_URL: "http://localhost:11434/v1" })).toThrow(/EMBEDDINGS_MODEL is missing/);
    expect(() => loadEmbeddingsConfig({ EMBEDDINGS_MODEL: "m" })).toThrow(/EMBEDDINGS_URL is missing/);
  });

  it("refuses a URL that is not http(s), and an API key sent in clear text to another machine", () => {
    expect(() => loadEmbeddingsConfig({ EMBEDDINGS_URL: "ftp://host/v1", EMBEDDINGS_MODEL: "m" })).toThrow(ConfigError);
    expect(() => loadEmbeddingsConfig({ EMBEDDINGS_URL: "http://gpu-box.lan:8000/v1", EMBEDDINGS_MODEL: "m", EMBEDDINGS_API_KEY: "k" })).toThrow(/EMBEDDINGS_URL must start with https:\/\//);
    expect(loadEmbeddingsConfig({ EMBEDDINGS_URL: "http://gpu-box.lan:8000/v1", EMBEDDINGS_MODEL: "m" })?.url).toBe("http://gpu-box.lan:8000/v1/embeddings");
  });
});
