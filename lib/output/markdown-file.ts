import { Construct } from 'constructs';
import { UserError } from '../errors';

export interface MarkdownFileProps {
  /** Path of the file inside the published tree, e.g. `clusters/homelab/RUNBOOK.md`. */
  readonly path: string;

  /** Renders the document (without the marker line); called once per synth, after every construct exists. */
  readonly render: () => string;
}

const MARKDOWN_FILE = Symbol.for('flux-helm-apps.MarkdownFile');

/**
 * A Markdown document of the published tree (a runbook, say). Flux ignores it:
 * kustomize-controller only reads YAML, and no kustomization.yaml lists it.
 */
export class MarkdownFile extends Construct {
  /** Whether `x` is a MarkdownFile (works across copies of this module). */
  public static isMarkdownFile(x: unknown): x is MarkdownFile {
    return typeof x === 'object' && x !== null && MARKDOWN_FILE in x;
  }

  public readonly path: string;
  private readonly renderText: () => string;

  public constructor(scope: Construct, id: string, props: MarkdownFileProps) {
    super(scope, id);
    if (!/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*\/[A-Za-z0-9][A-Za-z0-9._-]*\.md$/.test(props.path)) {
      throw new UserError(`markdown file path "${props.path}" is invalid: use a relative path of lowercase folders ending in a .md file, e.g. clusters/homelab/RUNBOOK.md`);
    }
    Object.defineProperty(this, MARKDOWN_FILE, { value: true });
    this.path = props.path;
    this.renderText = props.render;
  }

  /** The document, ending in exactly one newline. */
  public render(): string {
    return `${this.renderText().replace(/\s+$/, '')}\n`;
  }
}
