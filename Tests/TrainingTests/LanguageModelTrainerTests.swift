import Foundation
import Testing
@testable import Training

/// Training the character LSTM: where dropout masks change, that training lowers the bits per
/// character of a small text, and that a seed gives bit-identical results.
@Suite struct LanguageModelTrainerTests {
    /// About 2 KB of English with a small alphabet, as vocabulary indices.
    static let text: (tokens: [Int32], vocabulary: Int) = {
        let sentence = "the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat by the door. "
        let characters = Array(String(repeating: sentence, count: 22).unicodeScalars.prefix(2048))
        let alphabet = Array(Set(characters)).sorted { $0.value < $1.value }
        let index = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, Int32($0)) })
        return (characters.map { index[$0]! }, alphabet.count)
    }()

    @Test func variationalMasksAreSharedAcrossStepsAndNaiveMasksAreNot() {
        var configuration = LanguageModelConfiguration()
        configuration.layers = 2
        configuration.hidden = 16
        configuration.dropout = 0.5
        configuration.embeddingDropout = 0.3
        var generator = SeededGenerator(seed: 4)
        configuration.dropoutMode = .variational
        configuration.recurrentDropout = 0.5
        let shared = LanguageModelTrainer.masks(configuration, vocabulary: 10, streams: 3, steps: 7, generator: &generator)
        // One row per stream, used at every step: the same units are dropped at every step of a sequence.
        #expect(shared.shared)
        #expect(shared.outputs.allSatisfy { $0?.count == 3 * 16 })
        #expect(shared.recurrent.allSatisfy { $0?.count == 3 * 16 })
        #expect(shared.embedding?.count == 3 * 10)
        let hidden = [Float](repeating: 1, count: 7 * 3 * 16)
        let applied = CharacterLSTM.applying(shared.outputs[0], to: hidden, width: 16, batch: 3, shared: true)
        for step in 1..<7 { #expect(Array(applied[(step * 48)..<((step + 1) * 48)]) == Array(applied[0..<48])) }
        #expect(applied.contains(0) && applied.contains(2))

        configuration.dropoutMode = .naive
        configuration.recurrentDropout = 0
        let perStep = LanguageModelTrainer.masks(configuration, vocabulary: 10, streams: 3, steps: 7, generator: &generator)
        #expect(!perStep.shared)
        #expect(perStep.outputs.allSatisfy { $0?.count == 7 * 3 * 16 })
        #expect(perStep.recurrent.allSatisfy { $0 == nil }, "naive dropout leaves the recurrent connections alone")
        let naive = CharacterLSTM.applying(perStep.outputs[0], to: hidden, width: 16, batch: 3, shared: false)
        #expect((1..<7).contains { step in Array(naive[(step * 48)..<((step + 1) * 48)]) != Array(naive[0..<48]) })
    }

    static func configuration(mode: LanguageModelConfiguration.DropoutMode) -> LanguageModelConfiguration {
        var configuration = LanguageModelConfiguration()
        configuration.hidden = 32
        configuration.layers = 1
        configuration.sequenceLength = 16
        configuration.batchSize = 8
        configuration.epochs = 8
        configuration.learningRate = 0.01
        configuration.dropout = 0.1
        configuration.dropoutMode = mode
        configuration.seed = 3
        return configuration
    }

    @Test(arguments: [LanguageModelConfiguration.DropoutMode.naive, .variational])
    func trainingLowersTheBitsPerCharacterOfASmallText(_ mode: LanguageModelConfiguration.DropoutMode) {
        let (tokens, vocabulary) = Self.text
        let cut = tokens.count * 9 / 10
        let result = LanguageModelTrainer.train(Self.configuration(mode: mode), vocabulary: vocabulary, training: Array(tokens[..<cut]), validation: Array(tokens[cut...]))
        #expect(result.divergedAt == nil)
        let uniform = log2(Double(vocabulary))
        // From about log2(V) bits (guessing) to well under half of it on this repetitive text.
        #expect(result.curve.first!.validationBPC < uniform + 0.2)
        #expect(result.metrics["val_bpc"]! < uniform / 2, "\(result.curve.map(\.validationBPC))")
        #expect(result.curve.last!.validationBPC < result.curve.first!.validationBPC)
        #expect(abs(result.metrics["val_ppl"]! - pow(2, result.metrics["val_bpc"]!)) < 1e-9 * result.metrics["val_ppl"]!)
    }

    @Test func theSameSeedGivesBitIdenticalWeightsAndMetrics() {
        let (tokens, vocabulary) = Self.text
        var configuration = Self.configuration(mode: .variational)
        configuration.epochs = 2
        configuration.recurrentDropout = 0.2
        configuration.monteCarloSamples = 3
        let first = LanguageModelTrainer.train(configuration, vocabulary: vocabulary, training: Array(tokens[..<1800]), validation: Array(tokens[1800...]))
        let second = LanguageModelTrainer.train(configuration, vocabulary: vocabulary, training: Array(tokens[..<1800]), validation: Array(tokens[1800...]))
        #expect(first.model.tensors == second.model.tensors)
        #expect(first.metrics == second.metrics)
        #expect(first.metrics["val_bpc_mc"] != nil)
        configuration.seed = 4
        let other = LanguageModelTrainer.train(configuration, vocabulary: vocabulary, training: Array(tokens[..<1800]), validation: Array(tokens[1800...]))
        #expect(other.model.tensors != first.model.tensors)
    }
}
