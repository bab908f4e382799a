import type { Metadata } from "next";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { PROBLEM_KINDS, problemStatus, problemTitle, problemType } from "@/lib/api/problem";
import { JsonBlock, OperationCard, type DocumentedOperation } from "./operation-card";

export const metadata: Metadata = { title: "API reference" };
// Rendered from the OpenAPI document at build time: no script, no CDN, works offline.
export const dynamic = "force-static";

export default function ApiReferencePage() {
  const document = buildOpenApiDocument();
  const operations: (DocumentedOperation & { tag: string })[] = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => {
      const typed = operation as Omit<DocumentedOperation, "method" | "path"> & { tags: string[] };
      return { ...typed, method: method.toUpperCase(), path, tag: typed.tags[0]! };
    }),
  );
  const tags = document.tags.map((tag) => tag.name);
  const descriptions = new Map(document.tags.map((tag) => [tag.name, tag.description]));
  return (
    <main className="mx-auto max-w-5xl p-6 sm:p-10">
      <h1 className="text-2xl font-semibold">Arbor API reference</h1>
      <p className="mt-2 max-w-3xl text-slate-700 dark:text-slate-300">
        The same operations and rules as the portal, for automation. Get a token with your client credentials, then send it as{" "}
        <code className="font-mono">Authorization: Bearer …</code>. The machine-readable document is at{" "}
        <a href="/api/v1/openapi.json" className="text-brand-700 underline dark:text-brand-500">
          /api/v1/openapi.json
        </a>{" "}
        (OpenAPI {document.openapi}).
      </p>
      <pre className="mt-4 overflow-auto rounded bg-slate-100 p-3 text-xs dark:bg-slate-900">
        {`curl -s -X POST $ARBOR/api/v1/oauth/token -d grant_type=client_credentials \\
  -d client_id=$CLIENT_ID -d client_secret=$CLIENT_SECRET
curl -s $ARBOR/api/v1/nodes -H "Authorization: Bearer $TOKEN"`}
      </pre>
      <nav aria-label="Sections" className="mt-6">
        <ul className="flex flex-wrap gap-3 text-sm">
          {[...tags, "Schemas", "Problems"].map((name) => (
            <li key={name}>
              <a href={`#${slug(name)}`} className="text-brand-700 underline dark:text-brand-500">
                {name}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tags.map((tag) => (
        <section key={tag} id={slug(tag)} aria-labelledby={`${slug(tag)}-heading`} className="mt-10">
          <h2 id={`${slug(tag)}-heading`} className="text-xl font-semibold">
            {tag}
          </h2>
          <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-400">{descriptions.get(tag)}</p>
          <div className="mt-4 space-y-4">
            {operations
              .filter((operation) => operation.tag === tag)
              .map((operation) => (
                <OperationCard key={operation.operationId} operation={operation} />
              ))}
          </div>
        </section>
      ))}
      <section id="schemas" aria-labelledby="schemas-heading" className="mt-10">
        <h2 id="schemas-heading" className="text-xl font-semibold">
          Schemas
        </h2>
        {Object.entries(document.components.schemas).map(([name, schema]) => (
          <div key={name} id={`schema-${name}`} className="mt-4">
            <h3 className="font-mono text-sm font-semibold">{name}</h3>
            <JsonBlock label={`Schema ${name}`} schema={schema} />
          </div>
        ))}
      </section>
      <section id="problems" aria-labelledby="problems-heading" className="mt-10">
        <h2 id="problems-heading" className="text-xl font-semibold">
          Problems
        </h2>
        <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">Errors are RFC 9457 problem details (application/problem+json); the type says which kind.</p>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          {PROBLEM_KINDS.map((kind) => (
            <div key={kind} className="contents">
              <dt id={problemType(kind).split("#")[1]} className="font-mono">{problemStatus(kind)}</dt>
              <dd>
                <code className="font-mono">{problemType(kind)}</code> — {problemTitle(kind)}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </main>
  );
}

function slug(name: string): string {
  return name.toLowerCase().replaceAll(" ", "-");
}
