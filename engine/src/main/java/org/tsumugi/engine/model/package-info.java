/**
 * What every DiT shares, whatever its architecture: the block stack as a block executor sees it ({@link
 * org.tsumugi.engine.model.DitBlocks}), the executors ({@link org.tsumugi.engine.model.BlockExecutor#PLAIN} and
 * {@link org.tsumugi.engine.model.TrainingExecutor} with gradient checkpointing and a block-wise backward), and where
 * block weights live ({@link org.tsumugi.engine.model.BlockResidency}: resident, or streamed through the slot ring of
 * {@link org.tsumugi.engine.model.StreamedBlocks} from an offload {@link org.tsumugi.engine.model.WeightTier}, fetched
 * ahead by a {@link org.tsumugi.engine.model.BlockFetcher}). Architectures live in sub-packages ({@code wan}).
 */
package org.tsumugi.engine.model;
