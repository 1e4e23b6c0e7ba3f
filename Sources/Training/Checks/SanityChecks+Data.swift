import Foundation

extension SanityChecks {
    /// K101–K104, K204, K301–K303, K402, K403, K501.
    static func dataFindings(_ input: DataCheckInput, model: ModelDescription) -> [CheckFinding] {
        batchSize(input) + [
            shuffled(input), stratified(input), normalisedSeparately(input), initialisationFit(input, model: model),
            correlated(input), duplicates(input), normalised(input), tanhLabels(input, model: model),
            lastActivationLabels(input, model: model), parameterCount(input, model: model),
        ]
    }

    /// K101, K1010, K1012: the batch size against powers of two and against the training set's size.
    static func batchSize(_ input: DataCheckInput) -> [CheckFinding] {
        let batch = input.configuration.batchSize
        let rows = input.training.count
        let fraction = Double(batch) / Double(max(rows, 1))
        let values = ["batch_size": Double(batch), "training_examples": Double(rows), "fraction": fraction]
        let powerOfTwo = batch > 0 && batch & (batch - 1) == 0
        var lower = 1
        while lower * 2 <= batch { lower *= 2 }
        let k101 = powerOfTwo
            ? CheckFinding("K101", .pass, "batch size \(batch) is a power of two", values: values)
            : CheckFinding("K101", .warning, "batch size \(batch) is not a power of two (\(lower) or \(lower * 2) would fit the hardware's vector widths)", values: values)
        let k1010: CheckFinding
        if rows < 80 {
            k1010 = CheckFinding("K1010", .pass, "the data are small (\(rows) training examples): any batch is at least 1.25% of them", values: values)
        } else if fraction < 0.0125 {
            k1010 = CheckFinding("K1010", .warning, "batch size \(batch) is \(percent(fraction)) of \(rows) training examples (under 1.25%): gradients will be noisy and epochs slow", values: values)
        } else {
            k1010 = CheckFinding("K1010", .pass, "batch size \(batch) is \(percent(fraction)) of the training examples (at least 1.25%)", values: values)
        }
        let k1012 = fraction > 0.33
            ? CheckFinding("K1012", .warning, "batch size \(batch) is \(percent(min(fraction, 1))) of \(rows) training examples (over 33%): few updates per epoch", values: values)
            : CheckFinding("K1012", .pass, "batch size \(batch) is \(percent(fraction)) of the training examples (at most 33%)", values: values)
        return [k101, k1010, k1012]
    }

    /// K102: a runs test on the labels in file order. Classes (or, for regression, above/below the
    /// median) that come in long runs give far fewer runs than a random order would.
    static func shuffled(_ input: DataCheckInput) -> CheckFinding {
        var labels = input.fileOrderTargets
        guard labels.count >= 20 else {
            return CheckFinding("K102", .notApplicable, "\(labels.count) rows are too few for a runs test")
        }
        if input.training.task == .regression {
            let median = labels.sorted()[labels.count / 2]
            labels = labels.map { $0 < median ? 0 : 1 }
        }
        let n = Double(labels.count)
        var counts: [Float: Double] = [:]
        for label in labels { counts[label, default: 0] += 1 }
        let same = counts.values.reduce(0) { $0 + $1 * ($1 - 1) } / (n * (n - 1))
        let change = 1 - same
        var runs = 1.0
        for index in 1..<labels.count where labels[index] != labels[index - 1] { runs += 1 }
        let expected = 1 + (n - 1) * change
        let spread = ((n - 1) * change * (1 - change)).squareRoot()
        let z = spread > 0 ? (runs - expected) / spread : 0
        let values = ["runs": runs, "expected_runs": expected, "z": z]
        if z < -3 {
            return CheckFinding("K102", .warning, "labels come in long runs in the file (\(Int(runs)) runs where a shuffled file would have about \(Int(expected.rounded())), z = \(format(z))); xj shuffles before splitting and every epoch, but a split by position would be biased", values: values)
        }
        return CheckFinding("K102", .pass, "labels are spread through the file (\(Int(runs)) runs, about \(Int(expected.rounded())) expected)", values: values)
    }

    /// K103: class proportions of training and validation (total variation distance).
    static func stratified(_ input: DataCheckInput) -> CheckFinding {
        guard case let .classification(classes) = input.training.task else {
            return CheckFinding("K103", .notApplicable, "regression: there are no classes to stratify")
        }
        guard input.separateValidation else {
            return CheckFinding("K103", .pass, "xj's split is stratified: each class is split in the same proportion")
        }
        func proportions(_ targets: [Float]) -> [Double] {
            var counts = [Double](repeating: 0, count: classes)
            for target in targets { counts[Int(target)] += 1 }
            return counts.map { $0 / Double(max(targets.count, 1)) }
        }
        let train = proportions(input.training.targets), validation = proportions(input.validation.targets)
        let distance = 0.5 * zip(train, validation).reduce(0) { $0 + abs($1.0 - $1.1) }
        let values = ["total_variation": distance]
        if let missing = (0..<classes).first(where: { (train[$0] == 0) != (validation[$0] == 0) }) {
            let side = train[missing] == 0 ? "training" : "validation"
            return CheckFinding("K103", .failure, "class \(missing + 1) of \(classes) has no examples in the \(side) set", values: values)
        }
        if distance > 0.1 {
            return CheckFinding("K103", .failure, "class proportions differ between training and validation by \(percent(distance)) (total variation over 10%)", values: values)
        }
        return CheckFinding("K103", .pass, "class proportions of training and validation differ by \(percent(distance)) (at most 10%)", values: values)
    }

    /// K104: both sets standardised (or min-max scaled) exactly, each on its own statistics. Scaled
    /// together, the validation set's means would miss zero by about 1/√n, not by rounding error.
    static func normalisedSeparately(_ input: DataCheckInput) -> CheckFinding {
        guard input.separateValidation else {
            return CheckFinding("K104", .pass, "xj fits the scaler on the training split and applies it to the validation split")
        }
        func exactlyScaled(_ moments: ColumnMoments) -> String? {
            let columns = moments.varying
            guard !columns.isEmpty else { return nil }
            if columns.allSatisfy({ abs(moments.mean[$0]) < 1e-4 && abs(moments.std[$0] - 1) < 1e-3 }) { return "standardised" }
            if columns.allSatisfy({ abs(moments.minimum[$0]) < 1e-6 && abs(moments.maximum[$0] - 1) < 1e-6 }) { return "min-max scaled" }
            return nil
        }
        let train = exactlyScaled(ColumnMoments(input.training.features))
        let validation = exactlyScaled(ColumnMoments(input.validation.features))
        if let train, let validation, input.validation.count >= 10 {
            return CheckFinding("K104", .failure, "the training set is exactly \(train) and so is the validation set (\(validation)): each was scaled with its own statistics; scale validation with the training statistics")
        }
        return CheckFinding("K104", .pass, "the validation set was not scaled on its own statistics")
    }

    /// K204: the first layer's pre-activations on (scaled) training rows. The initialisation schemes
    /// assume inputs of unit scale; far larger inputs saturate tanh/sigmoid and blow up relu signals.
    static func initialisationFit(_ input: DataCheckInput, model: ModelDescription) -> CheckFinding {
        guard let first = model.denseLayers.first, first.inputs == input.training.features.columns else {
            return CheckFinding("K204", .notApplicable, "the model has no dense layer on the inputs")
        }
        var rows = sample(input.training.features, rows: 2000)
        (input.scaler ?? FeatureScaler(fitting: input.training.features, mode: input.configuration.normalization)).transform(&rows)
        // The pre-activations of the sample as one product (2,000 × inputs · inputsᵀ × units): summed one
        // product at a time in order, 784 × 256 per row took half a second of every such training run.
        // Two blocks of rows, whatever OpenBLAS's thread count: the same bits on every run.
        var preactivations = [Float](repeating: 0, count: rows.rows * first.outputs)
        if !preactivations.isEmpty && first.inputs > 0 {
            rows.values.withUnsafeBufferPointer { inputs in
                first.weights.withUnsafeBufferPointer { weights in
                    preactivations.withUnsafeMutableBufferPointer { out in
                        BLAS.gemm(parts: 2, m: rows.rows, n: first.outputs, k: first.inputs, inputs.baseAddress!, lda: first.inputs,
                                  weights.baseAddress!, ldb: first.inputs, transposeB: true, into: out.baseAddress!, ldc: first.outputs)
                    }
                }
            }
        }
        var sumOfSquares = 0.0
        for z in preactivations { sumOfSquares += Double(z) * Double(z) }
        let std = (sumOfSquares / Double(max(rows.rows * first.outputs, 1))).squareRoot()
        let activation = model.hiddenActivations.first ?? model.outputActivation
        let values = ["preactivation_std": std]
        let scheme = "\(model.initialization) initialisation"
        if std > 4 {
            let effect = ["tanh", "sigmoid"].contains(activation) ? "most \(activation) units start saturated" : "signals start \(format(std))× larger than the scheme intends"
            return CheckFinding("K204", .failure, "with normalize=\(input.configuration.normalization.rawValue) and \(scheme) the first layer's pre-activations have std \(format(std)): \(effect); normalise the inputs", values: values)
        }
        if std < 0.05 {
            return CheckFinding("K204", .failure, "with normalize=\(input.configuration.normalization.rawValue) and \(scheme) the first layer's pre-activations have std \(format(std)): the inputs are too small for the initialisation", values: values)
        }
        return CheckFinding("K204", .pass, "the first layer's pre-activations have std \(format(std)) (between 0.05 and 4)", values: values)
    }

    /// K301: constant columns, and the eigenvalues of the correlation matrix of the varying ones. An
    /// eigenvalue near zero is a direction the features span twice (a feature nearly a combination of others).
    static func correlated(_ input: DataCheckInput) -> CheckFinding {
        let rows = sample(input.training.features)
        let moments = ColumnMoments(rows)
        let varying = moments.varying
        let constant = rows.columns - varying.count
        guard varying.count >= 2, rows.rows >= 3 else {
            return CheckFinding("K301", .notApplicable, "fewer than two varying features: nothing to correlate", values: ["constant_columns": Double(constant)])
        }
        var standardised = Matrix(rows: rows.rows, columns: varying.count)
        for row in 0..<rows.rows {
            for (position, column) in varying.enumerated() {
                standardised.values[row * varying.count + position] =
                    Float((Double(rows.values[row * rows.columns + column]) - moments.mean[column]) / moments.std[column])
            }
        }
        var product = Matrix(rows: varying.count, columns: varying.count)
        BLAS.gemm(standardised, transposeA: true, standardised, into: &product, alpha: 1 / Float(rows.rows))
        let correlation = product.values.map(Double.init)
        var largest = 0.0, pair = (0, 0)
        for i in 0..<varying.count {
            for j in (i + 1)..<varying.count where abs(correlation[i * varying.count + j]) > largest {
                largest = abs(correlation[i * varying.count + j])
                pair = (varying[i], varying[j])
            }
        }
        let eigenvalues = BLAS.symmetricEigenvalues(correlation, size: varying.count)
        let redundant = eigenvalues.filter { $0 < 0.01 }.count
        let values = ["constant_columns": Double(constant), "min_eigenvalue": eigenvalues.first ?? 0,
                      "redundant_directions": Double(redundant), "max_abs_correlation": largest]
        var problems: [String] = []
        if constant > 0 {
            let names = (0..<rows.columns).filter { !varying.contains($0) }.prefix(3).map { "`\(input.featureNames[$0])`" }
            problems.append("\(constant) constant column\(constant == 1 ? "" : "s") (\(names.joined(separator: ", "))\(constant > 3 ? ", …" : ""))")
        }
        if redundant > 0 {
            problems.append("\(redundant) direction\(redundant == 1 ? "" : "s") of the correlation matrix with eigenvalue under 0.01 (smallest \(format(eigenvalues[0])))")
        }
        if largest > 0.95 {
            problems.append("`\(input.featureNames[pair.0])` and `\(input.featureNames[pair.1])` correlate at \(format(largest, digits: 3))")
        }
        if problems.isEmpty {
            return CheckFinding("K301", .pass, "no redundant features: smallest correlation eigenvalue \(format(eigenvalues[0])), largest |r| \(format(largest))", values: values)
        }
        return CheckFinding("K301", .warning, "redundant inputs: " + problems.joined(separator: "; "), values: values)
    }

    /// K302: identical training rows (features and label), and validation rows whose features equal a training row (leakage).
    static func duplicates(_ input: DataCheckInput) -> CheckFinding {
        let training = input.training, validation = input.validation
        let columns = training.features.columns
        // Rows are hashed in place (no key arrays), sorted by hash, and compared exactly only within a
        // hash: the same counts as a dictionary of rows, without an allocation per row (issue 14 §2).
        func sameFeatures(_ a: Matrix, _ rowA: Int, _ b: Matrix, _ rowB: Int) -> Bool {
            for column in 0..<columns where a.values[rowA * columns + column] != b.values[rowB * columns + column] { return false }
            return true
        }
        let trainingHashes = Self.rowHashes(training.features)
        let order = trainingHashes.indices.sorted { (trainingHashes[$0], $0) < (trainingHashes[$1], $1) }
        var duplicateRows = 0
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && trainingHashes[order[end]] == trainingHashes[order[start]] { end += 1 }
            // Within one hash, rows in file order: a repeat has an earlier row with the same features and label.
            for position in (start + 1)..<end {
                let row = order[position]
                if order[start..<position].contains(where: { sameFeatures(training.features, $0, training.features, row) && training.targets[$0] == training.targets[row] }) {
                    duplicateRows += 1
                }
            }
            start = end
        }
        let sortedHashes = order.map { trainingHashes[$0] }
        var leaked = 0
        for (row, hash) in Self.rowHashes(validation.features).enumerated() {
            var low = 0, high = sortedHashes.count
            while low < high { let middle = (low + high) / 2; if sortedHashes[middle] < hash { low = middle + 1 } else { high = middle } }
            var position = low
            while position < sortedHashes.count && sortedHashes[position] == hash {
                if sameFeatures(validation.features, row, training.features, order[position]) { leaked += 1; break }
                position += 1
            }
        }
        let values = ["duplicate_training_rows": Double(duplicateRows), "validation_rows_in_training": Double(leaked)]
        if leaked > 0 {
            return CheckFinding("K302", .failure, "\(leaked) validation row\(leaked == 1 ? "" : "s") also appear\(leaked == 1 ? "s" : "") in training (leakage: validation scores will be optimistic)\(duplicateRows > 0 ? "; \(duplicateRows) training rows are repeats" : "")", values: values)
        }
        if duplicateRows > 0 {
            return CheckFinding("K302", .warning, "\(duplicateRows) training row\(duplicateRows == 1 ? " repeats" : "s repeat") an earlier one (\(percent(Double(duplicateRows) / Double(training.count))) of the training set)", values: values)
        }
        return CheckFinding("K302", .pass, "no duplicate training rows and no validation row seen in training", values: values)
    }

    /// FNV-1a over each row's float bit patterns, with −0 read as +0 (they compare equal).
    static func rowHashes(_ features: Matrix) -> [UInt64] {
        let columns = features.columns
        return features.values.withUnsafeBufferPointer { values in
            (0..<features.rows).map { row in
                var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                for column in 0..<columns {
                    let value = values[row * columns + column]
                    hash = (hash ^ UInt64((value == 0 ? 0 : value).bitPattern)) &* 0x0000_0100_0000_01b3
                }
                return hash
            }
        }
    }

    /// K303: whether the features the network sees are on a normalised scale.
    static func normalised(_ input: DataCheckInput) -> CheckFinding {
        let mode = input.configuration.normalization
        guard mode == .none else {
            return CheckFinding("K303", .pass, "normalize=\(mode.rawValue): xj scales every feature with training statistics")
        }
        let moments = ColumnMoments(input.training.features)
        let off = moments.varying.filter { column in
            let standard = abs(moments.mean[column]) <= 0.5 && moments.std[column] <= 2
            let bounded = moments.minimum[column] >= -1 && moments.maximum[column] <= 1
            return !(standard || bounded)
        }
        let values = ["columns_not_normalised": Double(off.count)]
        guard let worst = off.max(by: { max(abs(moments.mean[$0]), moments.std[$0]) < max(abs(moments.mean[$1]), moments.std[$1]) }) else {
            return CheckFinding("K303", .pass, "normalize=none, and every feature is already on a unit scale", values: values)
        }
        return CheckFinding("K303", .failure, "normalize=none and \(off.count) of \(moments.mean.count) features are not normalised (e.g. `\(input.featureNames[worst])`: mean \(format(moments.mean[worst])), std \(format(moments.std[worst]))); use normalize=standard", values: values)
    }

    /// K402: a tanh output needs targets in [−1, 1], and classes coded −1/+1.
    static func tanhLabels(_ input: DataCheckInput, model: ModelDescription) -> CheckFinding {
        guard model.outputActivation == "tanh" else {
            return CheckFinding("K402", .notApplicable, "the output activation is \(model.outputActivation), not tanh")
        }
        if case .classification = input.training.task {
            return CheckFinding("K402", .failure, "classes are coded 0, 1, …; a tanh output ranges over (−1, 1): code two classes as −1/+1")
        }
        let low = input.training.targets.min() ?? 0, high = input.training.targets.max() ?? 0
        let values = ["label_min": Double(low), "label_max": Double(high)]
        if low < -1 || high > 1 {
            return CheckFinding("K402", .failure, "labels range over [\(format(Double(low))), \(format(Double(high)))]; a tanh output cannot reach beyond (−1, 1)", values: values)
        }
        return CheckFinding("K402", .pass, "labels lie in [−1, 1], within a tanh output's range", values: values)
    }

    /// K403: the labels against the last activation (softmax: a handful of classes; sigmoid: 0/1 or
    /// [0, 1]; linear: a real-valued label rather than class numbers).
    static func lastActivationLabels(_ input: DataCheckInput, model: ModelDescription) -> CheckFinding {
        let targets = input.training.targets
        let distinct = Set(targets)
        let values = ["distinct_labels": Double(distinct.count), "training_examples": Double(targets.count)]
        let activation = model.outputActivation
        switch (activation, input.training.task) {
        case let ("softmax", .classification(classes)), let ("sigmoid", .classification(classes)):
            if classes > 20 && Double(classes) > 0.5 * Double(targets.count) {
                return CheckFinding("K403", .failure, "the label has \(classes) classes for \(targets.count) training rows: it looks continuous; add the dataset with --task regression", values: values)
            }
            if activation == "sigmoid" && classes != 2 {
                return CheckFinding("K403", .failure, "a sigmoid output separates two classes, the label has \(classes)", values: values)
            }
            return CheckFinding("K403", .pass, "\(classes) classes coded 0…\(classes - 1) for a \(activation) output", values: values)
        case ("sigmoid", .regression):
            let low = targets.min() ?? 0, high = targets.max() ?? 0
            if low < 0 || high > 1 {
                return CheckFinding("K403", .failure, "labels range over [\(format(Double(low))), \(format(Double(high)))]; a sigmoid output cannot leave (0, 1)", values: values)
            }
            return CheckFinding("K403", .pass, "labels lie in [0, 1] for a sigmoid output", values: values)
        case ("linear", .regression):
            if distinct.count <= 10 && targets.count >= 50 && distinct.allSatisfy({ $0 == $0.rounded() }) {
                return CheckFinding("K403", .warning, "the label takes only \(distinct.count) whole-number values: these look like classes coded as numbers for a linear output; add the dataset with --task classification", values: values)
            }
            return CheckFinding("K403", .pass, "a real-valued label (\(distinct.count) distinct values) for a linear output", values: values)
        case ("tanh", _):
            return CheckFinding("K403", .pass, "a tanh output: K402 checks its labels", values: values)
        default:
            return CheckFinding("K403", .failure, "a \(activation) output does not suit a \(input.training.task == .regression ? "regression" : "classification") label", values: values)
        }
    }

    /// K501: trainable parameters against training examples.
    static func parameterCount(_ input: DataCheckInput, model: ModelDescription) -> CheckFinding {
        let parameters = model.parameterCount, examples = input.training.count
        let values = ["parameters": Double(parameters), "training_examples": Double(examples)]
        if parameters > examples {
            return CheckFinding("K501", .warning, "\(parameters) parameters for \(examples) training examples: the model can memorise them; watch the validation loss (K504) or regularise", values: values)
        }
        return CheckFinding("K501", .pass, "\(parameters) parameters for \(examples) training examples", values: values)
    }
}
