/**
 * typedoc plugin (typedoc.json "plugin"): the typed methods of Pipeline and Transaction show the
 * description of the RingClient method they carry, with no comment copied into the source.
 *
 * Why it is needed: PipelineCommands / TransactionCommands (src/client/api/pipeline.ts,
 * transaction.ts) are homomorphic mapped types over the method layers, so TypeScript links each
 * batch method to the layer method's declaration, but its call signature is synthesized (the
 * same parameters, a different return type) and declared in pipeline.ts, where typedoc looks for
 * the signature's comment. This plugin gives such a signature the comment of the layer method it
 * was made from. Overloaded methods need nothing: typedoc puts the implementation's comment on
 * the method itself, which covers its signatures.
 */

import ts from 'typescript';
import { Converter } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_SIGNATURE, (context, signature, declaration) => {
    if (signature.comment !== undefined || declaration === undefined || !ts.isFunctionTypeNode(declaration)) return;
    const method = signature.parent;
    const symbol = context.getSymbolFromReflection(method);
    const methods = (symbol?.declarations ?? []).filter((d) => ts.isMethodDeclaration(d) || ts.isMethodSignature(d));
    if (methods.length !== 1 || methods[0] === declaration) return;
    const comment = context.getSignatureComment(methods[0]);
    if (comment !== undefined) signature.comment = comment.clone();
  });
}
