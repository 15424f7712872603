/**
 * typedoc plugin (typedoc.json "plugin"): the typed methods of Pipeline and Transaction show the
 * description of the RingClient method they carry, with no comment copied into the source.
 *
 * Why it is needed: PipelineCommands / TransactionCommands (src/client/api/pipeline.ts,
 * transaction.ts) are homomorphic mapped types over the method layers, so TypeScript links each
 * batch method to the layer method's declarations, but its call signatures are synthesized (the
 * same parameters, a different return type) and declared in pipeline.ts / transaction.ts, where
 * typedoc looks for a signature's comment. This plugin gives such a signature the comment of the
 * layer declaration it was made from: the method's only declaration, or, for an overloaded
 * method, the overload whose parameter types are the signature's (one `...args` tuple).
 */

import ts from 'typescript';
import { Converter } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_SIGNATURE, (context, signature, declaration, tsSignature) => {
    if (signature.comment !== undefined || declaration === undefined || !ts.isFunctionTypeNode(declaration)) return;
    const symbol = context.getSymbolFromReflection(signature.parent);
    const methods = (symbol?.declarations ?? []).filter((d) => ts.isMethodDeclaration(d) || ts.isMethodSignature(d));
    const overloads = methods.length === 1 ? methods : methods.filter((d) => d.body === undefined);
    const source = overloads.length === 1 ? overloads[0] : overloads.find((d) => sameParameters(context.checker, d, tsSignature));
    if (source === undefined || source === declaration) return;
    const comment = context.getSignatureComment(source);
    if (comment !== undefined) signature.comment = comment.clone();
  });
}

/** True when `sig`'s one rest parameter is a tuple of exactly `decl`'s parameter types. */
function sameParameters(checker, decl, sig) {
  const rest = sig?.getParameters()[0];
  if (rest === undefined || sig.getParameters().length !== 1) return false;
  const tuple = checker.getTypeOfSymbol(rest);
  const elements = checker.isTupleType(tuple) ? checker.getTypeArguments(tuple) : null;
  if (elements === null || elements.length !== decl.parameters.length) return false;
  return decl.parameters.every((p, i) => {
    const a = checker.getNonNullableType(checker.getTypeAtLocation(p));
    const b = checker.getNonNullableType(elements[i]);
    return a === b || checker.typeToString(a) === checker.typeToString(b);
  });
}
