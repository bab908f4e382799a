type Schema = Record<string, unknown>;

export interface DocumentedOperation {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  parameters?: { name: string; in: string; required: boolean; description?: string; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
}

const METHOD_STYLE: Record<string, string> = {
  GET: "bg-sky-100 text-sky-900 dark:bg-sky-900/60 dark:text-sky-100",
  POST: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/60 dark:text-emerald-100",
  PATCH: "bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-100",
  DELETE: "bg-rose-100 text-rose-900 dark:bg-rose-900/60 dark:text-rose-100",
};

/** A schema's JSON for reading: formats say enough, so the long patterns that enforce them are left out. */
export function schemaText(schema: unknown): string {
  return JSON.stringify(
    schema,
    function (this: Record<string, unknown>, key: string, value: unknown) {
      return key === "pattern" && typeof this.format === "string" ? undefined : value;
    },
    2,
  );
}

/** A scrollable block of JSON, reachable by keyboard so that it can be scrolled without a mouse. */
export function JsonBlock({ label, schema }: { label: string; schema: unknown }) {
  return (
    <pre tabIndex={0} aria-label={label} className="mt-1 max-h-72 overflow-auto rounded bg-slate-100 p-3 text-xs dark:bg-slate-900">
      {schemaText(schema)}
    </pre>
  );
}

/** A schema as a reader wants it: a component name when it is one, else its JSON. */
function SchemaView({ label, schema }: { label: string; schema: Schema }) {
  const ref = typeof schema.$ref === "string" ? schema.$ref.split("/").pop() : null;
  if (ref) {
    return (
      <a href={`#schema-${ref}`} className="font-mono text-brand-700 underline dark:text-brand-500">
        {ref}
      </a>
    );
  }
  return <JsonBlock label={label} schema={schema} />;
}

/** One operation of the reference: what to send and what comes back. */
export function OperationCard({ operation }: { operation: DocumentedOperation }) {
  const body = operation.requestBody ? Object.entries(operation.requestBody.content)[0] : undefined;
  return (
    <article id={operation.operationId} className="rounded-lg border border-slate-200 bg-white p-5 dark:border-slate-800 dark:bg-slate-950" aria-labelledby={`${operation.operationId}-title`}>
      <h3 id={`${operation.operationId}-title`} className="flex flex-wrap items-center gap-3 text-base font-semibold">
        <span className={`rounded px-2 py-0.5 font-mono text-xs ${METHOD_STYLE[operation.method] ?? ""}`}>{operation.method}</span>
        <code className="font-mono text-sm">/api/v1{operation.path}</code>
        <span className="font-normal text-slate-700 dark:text-slate-300">{operation.summary}</span>
      </h3>
      {operation.description ? <p className="mt-2 whitespace-pre-line text-sm text-slate-700 dark:text-slate-300">{operation.description.replaceAll("`", "")}</p> : null}
      {operation.parameters && operation.parameters.length > 0 ? (
        <table className="mt-4 w-full text-left text-sm">
          <caption className="sr-only">Parameters of {operation.operationId}</caption>
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
            <tr>
              <th scope="col" className="py-1 pr-4">Parameter</th>
              <th scope="col" className="py-1 pr-4">In</th>
              <th scope="col" className="py-1">Meaning</th>
            </tr>
          </thead>
          <tbody>
            {operation.parameters.map((parameter) => (
              <tr key={`${parameter.in}-${parameter.name}`} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1 pr-4 font-mono">
                  {parameter.name}
                  {parameter.required ? <span className="text-rose-700 dark:text-rose-400"> *</span> : null}
                </td>
                <td className="py-1 pr-4">{parameter.in}</td>
                <td className="py-1 text-slate-700 dark:text-slate-300">{parameter.description ?? String(parameter.schema.type ?? "")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {body ? (
        <div className="mt-4 text-sm">
          <h4 className="font-medium">Request body ({body[0]})</h4>
          <SchemaView label={`Request body of ${operation.operationId}`} schema={body[1].schema} />
        </div>
      ) : null}
      <div className="mt-4 text-sm">
        <h4 className="font-medium">Responses</h4>
        <ul className="mt-1 space-y-1">
          {Object.entries(operation.responses).map(([status, response]) => {
            const content = response.content ? Object.values(response.content)[0] : undefined;
            return (
              <li key={status} className="flex flex-wrap items-baseline gap-2">
                <span className="font-mono">{status}</span>
                <span className="text-slate-700 dark:text-slate-300">{response.description}</span>
                {content && status.startsWith("2") ? <SchemaView label={`Response ${status} of ${operation.operationId}`} schema={content.schema} /> : null}
              </li>
            );
          })}
        </ul>
      </div>
    </article>
  );
}
